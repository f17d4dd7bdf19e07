//! Benchmark of registry tag lookups from a warm cache (being written; see the registry module).

fn main() {}
