# Writes OUT: a C++ source defining `std::string_view ihos::embedded::FUNC()` that returns the
# contents of the text file IN (which must not contain the raw-string delimiter ")ihos_text").
file(READ ${IN} text)
set(body "#include <string_view>\nnamespace ihos::embedded {\nstd::string_view ${FUNC}() {\n  return R\"ihos_text(${text})ihos_text\";\n}\n}  // namespace ihos::embedded\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
