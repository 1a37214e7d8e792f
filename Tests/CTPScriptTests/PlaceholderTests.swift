import Testing
@testable import CTPScript

@Test func moduleLinks() { _ = CTPScriptModule.self }
