// The health messages live in their own module (GRPCHealthMessages, SwiftProtobuf only) so that
// grayctl's probe decodes them without the gRPC stack; the generated health service here uses them.
@_exported public import GRPCHealthMessages
