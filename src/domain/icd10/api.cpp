#include "domain/icd10/api.hpp"

#include <boost/json.hpp>

#include "domain/icd10/icd10.hpp"
#include "http/params.hpp"

namespace ihos::domain::icd10::api {
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

json::object CodeJson(const Code& c) {
  return json::object{{"code", c.code}, {"name_zh", c.name_zh}, {"level", c.level}, {"category", c.category}};
}

}  // namespace

http::Handler Search(store::Database& db) {
  return [&db](Request& req) -> Result<Reply> {
    auto q = http::QueryString(req, "q", 60);
    if (!q) return q.error();
    auto limit = http::QueryInt(req, "limit", 20, 1, 100);
    if (!limit) return limit.error();
    if (q->find_first_not_of(" \t") == std::string::npos) return ValidationFailed({{"q", "required"}});
    auto found = db.With<std::vector<Code>>(
        store::TxMode::read, [&](store::Tx& tx) { return icd10::Search(tx, *q, static_cast<int>(*limit)); });
    if (!found) return found.error();
    json::array items;
    for (const auto& c : *found) items.push_back(CodeJson(c));
    return Reply::Json(json::object{{"items", std::move(items)}});
  };
}

http::Handler Get(store::Database& db) {
  return [&db](Request& req) -> Result<Reply> {
    const std::string& code = req.Param("code");
    auto c = db.With<Code>(store::TxMode::read, [&](store::Tx& tx) { return icd10::Get(tx, code); });
    if (!c) return c.error();
    return Reply::Json(CodeJson(*c));
  };
}

}  // namespace ihos::domain::icd10::api
