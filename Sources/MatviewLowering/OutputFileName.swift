import MatviewSyntax

/// The one way a name from a spec becomes a file name in an output folder (`views/<view>.sql`,
/// `<TypeName>.swift`). The result is a single path component on every common file system: no
/// `/` or `\`, no `.` or `..`, no leading dot, no NUL or other control character, none of the
/// characters Windows refuses (`: * ? " < > |`), no trailing dot or space. Each such character
/// becomes `_`, deterministically, so the same name always gives the same file; two names may
/// therefore give one file name (`a/b` and `a:b`), and names that differ only in case collide on
/// case-insensitive file systems (macOS, Windows): the compiler reports both as `duplicate-view`
/// (see `OutputNameCollisions`) instead of letting one file overwrite the other.
public enum OutputFileName {
    public static func component(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            scalars.append(isUnsafe(scalar) ? "_" : scalar)
        }
        var result = String(scalars)
        if result.isEmpty { return "_" }
        if result.hasPrefix(".") { result = "_" + result.dropFirst() }
        while let last = result.unicodeScalars.last, last == "." || last == " " {
            result = String(result.unicodeScalars.dropLast()) + "_"
        }
        return result
    }

    /// The key under which two file names are the same file somewhere: case-folded (String
    /// comparison already treats composed and decomposed accents alike, as APFS does).
    public static func collisionKey(_ fileName: String) -> String { fileName.lowercased() }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        if ControlCharacters.isControl(scalar) { return true }
        if scalar.properties.generalCategory == .format { return true } // invisible: bidi overrides, zero-width
        return "/\\:*?\"<>|".unicodeScalars.contains(scalar)
    }
}
