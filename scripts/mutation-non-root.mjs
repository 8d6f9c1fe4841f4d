// Preloaded (--import) into each test file that mutation testing runs (stryker.config.mjs): the file sees
// an ordinary user, so its tests that need root (network namespaces, unshare, iptables) skip themselves,
// as they do on a machine without root. Mutation testing runs only the unit tests; npm test runs all.
process.getuid = () => 65534;
process.geteuid = () => 65534;
