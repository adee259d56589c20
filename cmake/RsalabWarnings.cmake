# rsalab_warnings(target): the warning set for our own targets.
function(rsalab_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes
    -Wmissing-prototypes -Wvla -Wpointer-arith -Wundef)
  if(RSALAB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
