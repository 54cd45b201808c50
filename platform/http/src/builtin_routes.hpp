#pragma once
// The routes every server serves (internal): GET /healthz, /readyz (the readiness checks, body
// as the contracts' Readiness schema), /metrics (Prometheus text).
namespace platform::http {

struct ServerState;

// Adds them to state.builtin; the routes keep `state` by reference (it owns them).
void add_builtin_routes(ServerState& state);

}  // namespace platform::http
