import MatviewCommandLine
import MatviewDriver

/// The project's config alone (support schema name), for commands that do not compile specs.
enum MatviewDriverProject {
    static func load(_ options: ProjectOptions) -> Project {
        Project.load(root: options.rootURL, configPath: options.config)
    }
}
