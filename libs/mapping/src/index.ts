// Filled in by the contracts and mapping work; kept as a public entry so the workspace graph is whole.
export {};
