# ctest vectors.selftest.wrong_vectors_fail (tests/vectors.cmake): a runner
# that passes everything would pass the real vectors too, so feed it wrong
# ones.  Copies of two vector files, each with one deliberate error, must make
# `rsalab vectors` exit 1 on every backend and name the case it failed.
#
#   cmake -DRSALAB=<rsalab> -DSIGVER=<SigVer15_186-3.rsp> -DOAEP=<oaep-vect.txt>
#         -DWORK=<scratch folder> -P selftest.cmake

file(MAKE_DIRECTORY "${WORK}")

# 1. SigVer15: the first "Result = P" becomes "Result = F": a valid
#    signature now claims to be invalid, so every backend "fails" case 4.
file(READ "${SIGVER}" _text)
string(FIND "${_text}" "Result = P" _at)
if(_at LESS 0)
  message(FATAL_ERROR "no 'Result = P' in ${SIGVER}")
endif()
string(SUBSTRING "${_text}" 0 ${_at} _before)
math(EXPR _after_at "${_at} + 10")
string(SUBSTRING "${_text}" ${_after_at} -1 _after)
file(WRITE "${WORK}/SigVer15_186-3.rsp" "${_before}Result = F (selftest)${_after}")

# 2. oaep-vect: the first message byte of Example 1.1 (66 28 19 ...)
#    becomes 67: decryption must disagree with it.
file(READ "${OAEP}" _text)
string(FIND "${_text}" "# Message:" _msg)
string(FIND "${_text}" "66 28 19 4e 12 07 3d b0" _at)
if(_msg LESS 0 OR _at LESS _msg)
  message(FATAL_ERROR "Example 1.1's message not found in ${OAEP}")
endif()
string(SUBSTRING "${_text}" 0 ${_at} _before)
math(EXPR _after_at "${_at} + 2")
string(SUBSTRING "${_text}" ${_after_at} -1 _after)
file(WRITE "${WORK}/oaep-vect.txt" "${_before}67${_after}")

foreach(pair "SigVer15_186-3.rsp|case 4 \\[verify\\]"
             "oaep-vect.txt|case 1.1 \\[decrypt\\]")
  string(REPLACE "|" ";" _p "${pair}")
  list(GET _p 0 _file)
  list(GET _p 1 _case)
  execute_process(COMMAND "${RSALAB}" vectors --file "${WORK}/${_file}"
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  message("${_out}${_err}")
  if(NOT _rc EQUAL 1)
    message(FATAL_ERROR "${_file} with a wrong vector: exit ${_rc}, expected 1")
  endif()
  if(NOT _out MATCHES "FAIL [a-z]+/[^ ]+ ${_case}")
    message(FATAL_ERROR "${_file}: the failing case is not named in the report")
  endif()
  string(REGEX MATCHALL "\n== [a-z]+ " _backends "${_out}")
  string(REGEX MATCHALL "FAIL [a-z]+/[^ ]+ ${_case}" _fails "${_out}")
  # a backend that cannot run the file at all (nettle decrypts no OAEP)
  # skips every check of it: it cannot see the wrong vector
  string(REGEX MATCHALL "\ntotal +RSA +[0-9]+ +0 +0 +[0-9]+" _idle "${_out}")
  list(LENGTH _backends _nb)
  list(LENGTH _idle _ni)
  math(EXPR _nb "${_nb} - ${_ni}")
  list(LENGTH _fails _nf)
  if(NOT _nb EQUAL _nf)
    message(FATAL_ERROR "${_file}: ${_nf} backend(s) of ${_nb} saw the wrong vector")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
