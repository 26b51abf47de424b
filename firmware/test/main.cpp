// doctest's runner; every other file in test/ adds TEST_CASEs to it.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
