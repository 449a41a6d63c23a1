/// Turns an offset into the text being lexed (an expression string or a whole SQL file) into a
/// file location. Expression strings come from YAML scalars and use `ScalarSourceMap`; DDL files
/// are lexed whole and use `SourceText` directly.
public protocol Locator: Sendable {
    func location(at offset: Int) -> SourceLocation
}

extension ScalarSourceMap: Locator {}

extension SourceText: Locator {
    public func location(at offset: Int) -> SourceLocation { location(ofOffset: offset) }
}
