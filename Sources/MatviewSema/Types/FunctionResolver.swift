/// Picks the overload PostgreSQL would call for some argument types: every argument must convert
/// implicitly to its parameter; among those that fit, the one needing the fewest conversions wins.
/// A tie between overloads that need the same number of conversions is broken by the preferred
/// type of each category (double precision for numbers, timestamptz for times), as PostgreSQL does.
public enum FunctionResolver {
    public struct Resolution: Sendable {
        public var signature: FunctionSignature
        public var resultType: SQLType
    }

    public static func resolve(_ name: String, argumentTypes: [SQLType]) -> Resolution? {
        var best: (Resolution, Int, Int)?
        for signature in BuiltinFunctions.overloads(named: name) {
            guard let (resolution, casts) = match(signature, argumentTypes) else { continue }
            let preference = preferredScore(signature)
            if let current = best {
                if casts < current.1 || (casts == current.1 && preference > current.2) {
                    best = (resolution, casts, preference)
                }
            } else {
                best = (resolution, casts, preference)
            }
        }
        return best?.0
    }

    private static func parameters(of signature: FunctionSignature, count: Int) -> [FunctionSignature.Parameter]? {
        if signature.variadic {
            guard count >= signature.parameters.count else { return nil }
            return signature.parameters + Array(repeating: signature.parameters.last!, count: count - signature.parameters.count)
        }
        return signature.parameters.count == count ? signature.parameters : nil
    }

    private static func match(_ signature: FunctionSignature, _ arguments: [SQLType]) -> (Resolution, Int)? {
        guard let parameters = parameters(of: signature, count: arguments.count) else { return nil }
        var casts = 0
        var elementTypes: [SQLType] = []
        for (parameter, argument) in zip(parameters, arguments) {
            switch parameter {
            case .any:
                continue
            case .anyElement:
                elementTypes.append(argument)
            case .type(.other("anyarray")):
                guard case .array = argument else { if argument.isUntyped { continue }; return nil }
            case .type(let type):
                guard argument.implicitlyCasts(to: type) else { return nil }
                if argument != type && !argument.isUntyped { casts += 1 }
                if argument == .unknown { casts += 0 }
            }
        }
        var element: SQLType = .null
        if !elementTypes.isEmpty {
            guard let common = SQLType.common(elementTypes) else { return nil }
            element = common
            casts += elementTypes.filter { $0 != common && !$0.isUntyped }.count
        }
        let result: SQLType
        switch signature.result {
        case .type(let t): result = t
        case .anyElement: result = element == .null ? .text : element
        case .arrayOfAnyElement: result = .array(element == .null ? .text : element)
        }
        return (Resolution(signature: signature, resultType: result), casts)
    }

    private static func preferredScore(_ signature: FunctionSignature) -> Int {
        signature.parameters.reduce(0) { score, parameter in
            if case .type(let t) = parameter, t == .double || t == .timestamptz || t == .text { return score + 1 }
            return score
        }
    }
}
