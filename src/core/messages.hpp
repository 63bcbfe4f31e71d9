#pragma once
// The one catalogue of user-facing messages, keyed by the stable error `code`.
// Every Error code and FieldError code the server emits has an entry here with zh-CN and en
// text (tests/unit/messages_test.cpp checks the sources against this table).
#include <string_view>
#include <vector>

namespace ihos {

struct Message {
  std::string_view code;
  std::string_view zh;
  std::string_view en;
};

// The message for `code`; a generic one ("request_failed") when the code is unknown.
const Message& FindMessage(std::string_view code);
bool HasMessage(std::string_view code);
const std::vector<Message>& AllMessages();

}  // namespace ihos
