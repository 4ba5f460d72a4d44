/// An argument of a call: a host value converted for this call, or a view built earlier.
public enum LuaArgument: Sendable, Hashable {
    case value(LuaValue)
    case view(LuaView)
}
