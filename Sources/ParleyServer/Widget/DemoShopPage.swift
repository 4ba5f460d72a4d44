/// One page of the demo shop: its title and its (trusted, static) body.
struct DemoShopPage: Sendable, Decodable {
    var title: String
    var content: String
}
