# The key-strictness matrix (`rsalab keycheck`, vectors/keycheck.h), included
# from tests/CMakeLists.txt.  The corpus is vectors/data/keycheck/.
#
#   keycheck.<backend>    the matrix runs on that backend (exit 0; the
#                         verdicts are a measurement and are not judged)
#   keycheck.all          every backend at once, JSON output
#   keycheck.gmp.strict   our gmp backend must refuse every key that breaks
#                         a rule and accept every valid control (--strict)
foreach(be ${RSALAB_BACKENDS})
  add_test(NAME keycheck.${be} COMMAND $<TARGET_FILE:rsalab> keycheck --backends ${be})
  set_tests_properties(keycheck.${be} PROPERTIES LABELS "keycheck;${be}" TIMEOUT 300)
endforeach()
add_test(NAME keycheck.all COMMAND $<TARGET_FILE:rsalab> keycheck --json)
set_tests_properties(keycheck.all PROPERTIES LABELS keycheck TIMEOUT 600)
if("gmp" IN_LIST RSALAB_BACKENDS)
  add_test(NAME keycheck.gmp.strict COMMAND $<TARGET_FILE:rsalab> keycheck --backends gmp --strict)
  set_tests_properties(keycheck.gmp.strict PROPERTIES LABELS "keycheck;gmp" TIMEOUT 300)
endif()
