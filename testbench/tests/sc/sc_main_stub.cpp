// libsystemc refers to sc_main; the test binary's main comes from gtest_main, so this is
// never called.
extern "C" int sc_main(int, char*[]) { return 1; }
