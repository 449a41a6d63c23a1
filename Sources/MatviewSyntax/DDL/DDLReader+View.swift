/// CREATE [OR REPLACE] [TEMP] [RECURSIVE] VIEW and CREATE MATERIALIZED VIEW: only the name is
/// kept (CREATE TABLE ... OF type and CREATE TABLE ... AS come here from DDLReader+CreateTable). Typing a view's columns would take a checker for arbitrary SQL queries; knowing the name
/// is enough to accept its indexes and ALTERs, and to tell a spec that reads it what it is.
extension DDLReader {
    mutating func createView(at location: SourceLocation, materialized: Bool) throws -> [SchemaStatement]? {
        try skipIfNotExists()
        let name = try qualifiedName()
        skipStatementBody()
        return [.untypedRelation(UntypedRelation(name: name, kind: materialized ? .materializedView : .view, location: location))]
    }
}
