/// The files `matview init` writes, as text. Each one explains itself in comments, since a new
/// user reads them before the README; the example spec and schema check clean with `--strict`
/// (InitCommandTests runs `check --strict` and `generate` right after `init`).
public enum ScaffoldTexts {
    /// matview.yaml: every key, set to its default, so changing one is editing a line.
    public static let config = """
        # matview.yaml: where this project's specs, schema and generated files live, and the
        # generator's options. Every key is optional; the values below are the defaults.
        # Every matview command reads ./matview.yaml (or the file --config names).

        # The folder of view specs: one materialized view per .yaml file.
        specs: specs

        # The tables the views read, as PostgreSQL DDL: .sql files or folders. By default every
        # *.sql file under the specs folder (`matview introspect > specs/schema.sql` writes one).
        # schema: [specs/schema.sql]

        output:
          sql: generated/sql       # what `matview generate` writes for PostgreSQL (commit it)
          swift: generated/swift   # the typed Swift row structs (commit it too)

        postgres:
          version: 15              # the PostgreSQL version the generated SQL targets (15 or later)
          support_schema: matview  # matview's own schema: refresh log, change queue, freshness view
          # A role that may read the support schema, for monitoring (create the role first):
          # monitoring_role: matview_monitor

        swift:
          access: public           # public or internal: the access level of the generated Swift
          module_imports: []       # extra modules the generated Swift imports

        """

    /// specs/schema.sql without a database: one example table the example spec reads.
    public static let exampleSchema = """
        -- The tables your views read, as plain PostgreSQL DDL: CREATE TABLE with column types, NOT NULL,
        -- primary keys, unique constraints and foreign keys (ALTER TABLE and CREATE INDEX work too;
        -- anything else `pg_dump --schema-only` prints is skipped). matview checks every spec against
        -- these tables, so keep them in step with the database: replace this example with your own,
        -- or write the file from a database with `matview introspect > specs/schema.sql`.

        CREATE TABLE orders (
            id bigint PRIMARY KEY,
            customer_id bigint NOT NULL,
            amount numeric(12,2) NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
        );

        """

    /// The example spec's file name, without a database.
    public static let exampleSpecPath = "specs/customer_order_totals.yaml"

    /// The example spec, reading `orders` from `exampleSchema`.
    public static let exampleSpec = """
        # An example view spec: one materialized view, checked against specs/schema.sql by
        # `matview check` and turned into SQL and Swift by `matview generate`. Change it, or
        # delete it once you have views of your own.
        view: customer_order_totals_mv          # the materialized view's name
        description: One row per customer with the number, total and latest time of their orders.
        from: orders o                          # a table (or another view spec) and its alias
        group_by: [o.customer_id]
        select:                                 # the view's columns, in order
          customer_id: o.customer_id
          order_count: count(*)
          total_amount: sum(o.amount)
          last_order_at:                        # the long form of a column, with a description
            expr: max(o.created_at)
            description: When the customer's latest order was placed.
        indexes:
          - columns: [customer_id]              # one row per customer, so this index is unique
            unique: true
        refresh:
          concurrently: true                    # REFRESH ... CONCURRENTLY: readers never wait
          on_change: queue                      # a write to orders queues a refresh
          min_interval: 1m                      # at most one refresh a minute while writes keep coming
          max_staleness: 10m                    # `matview status` reports the view stale after this

        """

    /// The commented example written when a database gave no table to build one on: it cannot be
    /// a `.yaml` file (a spec of only comments is an error), so it waits under another name.
    public static let disabledExampleSpecPath = "specs/example_view.yaml.example"

    public static let disabledExampleSpec = """
        # An example view spec. matview reads only *.yaml files under specs/, so this one is not
        # checked yet: name a table from specs/schema.sql in `from`, adjust the columns, and rename
        # the file to end in .yaml (`matview init` found no table to write it against).
        #
        # view: customer_order_totals_mv
        # description: One row per customer with the number and total of their orders.
        # from: orders o
        # group_by: [o.customer_id]
        # select:
        #   customer_id: o.customer_id
        #   order_count: count(*)
        #   total_amount: sum(o.amount)
        # indexes:
        #   - columns: [customer_id]
        #     unique: true
        # refresh:
        #   concurrently: true
        #   on_change: queue
        #   max_staleness: 10m

        """

    /// The lines `.gitignore` gets (those it lacks are appended; the file is never rewritten).
    /// `generated/` is not among them: it is committed, and reviewers read its diff.
    public static let gitignoreLines = [".env", ".build/"]

    public static let gitignoreHeader = "# matview: database URLs with passwords (.env) and SwiftPM's build folder stay out of Git"

    /// The CI workflow: the checks a pull request must pass.
    public static let workflowPath = ".github/workflows/matview.yml"

    public static var workflow: String {
        """
        # Every push and pull request: the specs check clean (warnings fail too) and generated/
        # is what the specs generate (`generate --check` prints the diff when it is not).
        # If this project is in a subfolder of the repository, move this file to the repository's
        # .github/workflows/ and set `defaults.run.working-directory` to that folder.
        name: matview

        on:
          push:
          pull_request:

        env:
          # Where CI gets matview: its Git repository and a tag (pinned, so that a new release
          # cannot change generated/ under you). Point it at the repository you install from.
          MATVIEW_REPOSITORY: https://github.com/your-org/matview.git
          MATVIEW_REF: "\(MatviewVersion.current)"

        jobs:
          matview:
            runs-on: ubuntu-latest
            container: swift:6.1
            steps:
              - uses: actions/checkout@v4
              - uses: actions/cache@v4
                with:
                  path: /opt/matview
                  key: matview-${{ env.MATVIEW_REF }}
              # matview-codegen has check and generate without the live-database commands, so it
              # builds in a fraction of the time.
              - name: Build matview
                run: |
                  if [ ! -x /opt/matview/.build/release/matview-codegen ]; then
                    git clone --depth 1 --branch "$MATVIEW_REF" "$MATVIEW_REPOSITORY" /opt/matview
                    swift build -c release --package-path /opt/matview --product matview-codegen
                  fi
                  echo /opt/matview/.build/release >> "$GITHUB_PATH"
              - name: matview check --strict
                run: matview-codegen check --strict
              - name: matview generate --check
                run: matview-codegen generate --check

        """
    }
}
