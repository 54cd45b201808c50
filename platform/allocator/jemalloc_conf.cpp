// jemalloc's defaults (4 arenas per CPU, dirty pages kept for 10 s) suit big servers; a service
// here shares two cores and should stay small, so: two arenas, and freed pages go back to the
// system within a second. jemalloc reads this symbol at startup; MALLOC_CONF still overrides it.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's interface
const char* malloc_conf = "narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
