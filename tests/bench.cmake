# The bench's output, never its timings (label bench): each group run tiny
# into a temporary folder, then bench_check parses the CSV and JSON and
# counts the rows the configuration implies; bench.paths checks that bad
# output paths stop a run before it measures and that a missing gnuplot
# still leaves the data.
add_executable(bench_check bench_check.c)
target_link_libraries(bench_check PRIVATE PkgConfig::JANSSON)
rsalab_warnings(bench_check)
foreach(group keygen ops chunking handshake throughput)
  add_test(NAME bench.output.${group}
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/bench_output.sh
                   $<TARGET_FILE:rsalab> $<TARGET_FILE:bench_check> ${group})
  set_tests_properties(bench.output.${group} PROPERTIES TIMEOUT 600 LABELS "bench")
endforeach()
# timing: every operation on every backend at a small --samples; checks the
# rows and that every |t| is a finite number, never how large it is.
add_test(NAME bench.output.timing
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/bench_timing.sh
                 $<TARGET_FILE:rsalab> $<TARGET_FILE:bench_check>)
set_tests_properties(bench.output.timing PROPERTIES TIMEOUT 900 LABELS "bench")
list(GET RSALAB_BACKENDS 0 _bench_first)
add_test(NAME bench.paths
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/bench_paths.sh $<TARGET_FILE:rsalab>
                 ${_bench_first})
set_tests_properties(bench.paths PROPERTIES TIMEOUT 600 LABELS "bench")
# Transfers after every library has already run in the bench process (the
# ops group first): each side of a transfer must start clean.  Botan 2 hands
# half of each RSA private operation to its thread pool, which a bare fork()
# of the bench does not carry over, and the side then waits forever; this
# hangs (and times out) if a transfer side is ever forked without exec again.
add_test(NAME bench.output.ops-then-throughput
         COMMAND $<TARGET_FILE:rsalab> bench ops throughput --quick --seconds 0.001
                 --trials 2 --bits 1024 --no-speed
                 --out ${CMAKE_CURRENT_BINARY_DIR}/bench-ops-then-throughput)
set_tests_properties(bench.output.ops-then-throughput PROPERTIES TIMEOUT 300 LABELS "bench")
