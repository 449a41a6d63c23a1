/// Escaping and a small element builder for the dashboard's HTML and inline SVG.
///
/// Everything the pages show comes from the database (view and table names, error texts), and a
/// view name may hold `<`, `&`, quotes or any Unicode, so every piece of text goes through
/// `escape` before it reaches markup. Escaping works on Unicode scalars, not Characters: a quote
/// followed by a combining mark is one Character, and a Character-level search would miss it.
public enum HTML {
    /// `text` made safe both as element content and inside a quoted attribute value: `& < > " '`
    /// become character references.
    ///
    /// Control characters other than tab, line feed and carriage return become U+FFFD: XML 1.0
    /// forbids them even as character references, and the SVG this module renders must stay
    /// well-formed XML whatever a view name or error text contains.
    public static func escape(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where replacement(for: scalar) != nil {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if let replaced = replacement(for: scalar) {
                out += replaced
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func replacement(for scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "&": return "&amp;"
        case "<": return "&lt;"
        case ">": return "&gt;"
        case "\"": return "&quot;"
        case "'": return "&#39;"
        case "\t", "\n", "\r": return nil
        default:
            let value = scalar.value
            if value < 0x20 || value == 0x7F || value == 0xFFFE || value == 0xFFFF { return "\u{FFFD}" }
            return nil
        }
    }

    /// `text` percent-encoded as UTF-8 for one URL query value or one path segment: only RFC 3986's
    /// unreserved characters (`A-Z a-z 0-9 - . _ ~`) stay as they are, so `/`, `?`, `&`, `=`, `#`,
    /// `+` and spaces in a view name cannot change the URL's structure. The result is ASCII; it
    /// still goes through `escape` when placed in an attribute (it never needs it, but the rule
    /// "all text is escaped" stays simple).
    public static func queryEscape(_ text: String) -> String {
        let hex: [Character] = Array("0123456789ABCDEF")
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }

    /// ` name="value"` for each pair, values escaped, in the given order (an array, not a
    /// dictionary, so the output is the same bytes every time).
    public static func attributes(_ pairs: [(String, String)]) -> String {
        var out = ""
        for (name, value) in pairs {
            out += " \(name)=\"\(escape(value))\""
        }
        return out
    }

    /// `<name attributes>content</name>`. Attribute values are escaped here; `content` is
    /// markup and is not (escape text with `escape` or use `text(_:_:)`).
    public static func element(_ name: String, attributes: [(String, String)] = [], _ content: String) -> String {
        "<\(name)\(self.attributes(attributes))>\(content)</\(name)>"
    }

    /// An element whose content is plain text, escaped.
    public static func text(_ name: String, attributes: [(String, String)] = [], _ text: String) -> String {
        element(name, attributes: attributes, escape(text))
    }

    /// A void element (`<meta>`, `<link>`, `<br>`), written `<name ... />` so that the markup also
    /// reads as XML.
    public static func void(_ name: String, attributes: [(String, String)] = []) -> String {
        "<\(name)\(self.attributes(attributes)) />"
    }
}
