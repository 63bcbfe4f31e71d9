#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ihos::domain::accounts {

// A person known to ihos: a patient with a login, or a minor managed by a guardian (no phone,
// no password). FHIR: Patient (and, for staff, Practitioner later).
struct User {
  std::int64_t id = 0;
  std::optional<std::string> phone;
  std::string real_name;
  std::string id_number;
  std::string birth_date;
  std::string sex;
  std::string status;
  std::int64_t created_at = 0;
  std::vector<std::string> roles;
};

struct NewUser {
  std::optional<std::string> phone;
  std::optional<std::string> password_hash;
  std::string real_name;
  std::string id_number;
  std::string birth_date;
  std::string sex;
  std::int64_t created_at = 0;
};

struct Dependent {
  User user;
  std::string relationship;
};

struct LoginRecord {
  std::int64_t id = 0;
  std::string password_hash;
  std::string status;
};

// The account's app preferences (table user_settings); the defaults when never set.
struct UserSettings {
  bool elder_mode = false;  // 长辈模式: large text and targets, the usual services first
  std::int64_t updated_at = 0;  // 0: never set
};

struct SessionRecord {
  std::int64_t user_id = 0;
  std::string real_name;
  std::string status;
  std::vector<std::string> roles;
  std::int64_t expires_at = 0;  // the session's
};

}  // namespace ihos::domain::accounts
