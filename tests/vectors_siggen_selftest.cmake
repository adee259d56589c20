# ctest vectors.selftest.siggen_wrong_fail (tests/vectors.cmake): the
# signature generation runner must notice a wrong vector.  A copy of
# vectors/data/wycheproof/rsalab_pkcs1_sig_gen_cavp_test.json gets two
# deliberate errors: the first expected signature (tcId 1) has its first hex
# digit changed, and the first "invalid" case (tcId 13, an inconsistent key)
# claims to be "valid".  `rsalab vectors` must exit 1 and name both cases
# on every backend, in every key form.
#
#   cmake -DRSALAB=<rsalab> -DSIGGEN=<json> -DWORK=<scratch folder> -P this
file(MAKE_DIRECTORY "${WORK}")
file(READ "${SIGGEN}" _text)

string(FIND "${_text}" "\"sig\": \"" _at)
if(_at LESS 0)
  message(FATAL_ERROR "no \"sig\" in ${SIGGEN}")
endif()
math(EXPR _digit "${_at} + 8")
string(SUBSTRING "${_text}" ${_digit} 1 _old)
if(_old STREQUAL "0")
  set(_new "1")
else()
  set(_new "0")
endif()
string(SUBSTRING "${_text}" 0 ${_digit} _before)
math(EXPR _after_at "${_digit} + 1")
string(SUBSTRING "${_text}" ${_after_at} -1 _after)
set(_text "${_before}${_new}${_after}")

string(FIND "${_text}" "\"result\": \"invalid\"" _at)
if(_at LESS 0)
  message(FATAL_ERROR "no invalid case in ${SIGGEN}")
endif()
string(SUBSTRING "${_text}" 0 ${_at} _before)
math(EXPR _after_at "${_at} + 19")
string(SUBSTRING "${_text}" ${_after_at} -1 _after)
file(WRITE "${WORK}/rsalab_pkcs1_sig_gen_cavp_test.json"
     "${_before}\"result\": \"valid\"${_after}")

execute_process(COMMAND "${RSALAB}" vectors --file "${WORK}/rsalab_pkcs1_sig_gen_cavp_test.json"
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
message("${_out}${_err}")
if(NOT _rc EQUAL 1)
  message(FATAL_ERROR "siggen file with wrong vectors: exit ${_rc}, expected 1")
endif()
string(REGEX MATCHALL "\n== [a-z]+ " _backends "${_out}")
list(LENGTH _backends _nb)
foreach(_case "tcId 1 \\(components\\)" "tcId 1 \\(pkcs8\\)" "tcId 1 \\(pem\\)"
              "tcId 13 \\(components\\)" "tcId 13 \\(pkcs8\\)" "tcId 13 \\(pem\\)")
  string(REGEX MATCHALL "FAIL [a-z]+/[^ ]+ case ${_case} \\[sign-kat\\]" _fails "${_out}")
  list(LENGTH _fails _nf)
  if(_nb EQUAL 0 OR NOT _nb EQUAL _nf)
    message(FATAL_ERROR "${_case}: ${_nf} backend(s) of ${_nb} saw the wrong vector")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
