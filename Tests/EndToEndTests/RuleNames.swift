import MatviewDriver

enum RuleNames {
    static var all: [String] { MatviewDriver.allRuleNames }
}
