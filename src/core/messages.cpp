#include "core/messages.hpp"

#include <algorithm>

namespace ihos {
namespace {

const std::vector<Message> kMessages = {
    // generic HTTP and infrastructure
    {"request_failed", "请求失败。", "The request failed."},
    {"not_found", "请求的资源不存在。", "The requested resource does not exist."},
    {"route_not_found", "没有这个接口。", "There is no such endpoint."},
    {"method_not_allowed", "该接口不支持此请求方法。", "This endpoint does not support that method."},
    {"unauthenticated", "请先登录。", "Please sign in first."},
    {"session_expired", "登录已过期，请重新登录。", "Your session has expired; please sign in again."},
    {"forbidden", "您的角色无权执行此操作。", "Your role may not do this."},
    {"payload_too_large", "请求内容过大。", "The request body is too large."},
    {"header_too_large", "请求头过大。", "The request headers are too large."},
    {"unsupported_media_type", "请求内容须为 JSON（application/json）。",
     "The request body must be JSON (application/json)."},
    {"malformed_json", "请求内容不是有效的 JSON。", "The request body is not valid JSON."},
    {"malformed_request", "请求格式错误。", "The request is malformed."},
    {"validation_failed", "请检查填写的内容。", "Please check the fields you entered."},
    {"request_timeout", "请求超时。", "The request timed out."},
    {"too_many_connections", "服务器繁忙，请稍后再试。", "The server is busy; please try again shortly."},
    {"shutting_down", "服务器正在维护重启，请稍后再试。", "The server is restarting; please try again shortly."},
    {"database_unavailable", "数据服务暂时不可用，请稍后再试。",
     "The database is temporarily unavailable; please try again shortly."},
    {"internal_error", "服务器内部错误，请稍后再试或联系客服并提供请求编号。",
     "Internal server error; please try again or contact support with the request id."},
    {"unique_violation", "与已有记录冲突。", "This conflicts with an existing record."},
    {"foreign_key_violation", "引用的记录不存在。", "A referenced record does not exist."},
    {"check_violation", "数据不符合规则。", "The data breaks a rule of the record."},
    {"database_error", "服务器内部错误，请稍后再试或联系客服并提供请求编号。",
     "Internal server error; please try again or contact support with the request id."},
    {"invalid_text", "文本含有无效字符。", "The text contains invalid characters."},
    {"database_url_invalid", "数据库地址无效。", "The database URL is not valid."},
    // field-level
    {"required", "此项为必填。", "This field is required."},
    {"wrong_type", "此项的类型不正确。", "This field has the wrong type."},
    {"too_long", "此项内容过长。", "This field is too long."},
    {"too_short", "此项内容过短。", "This field is too short."},
    {"unknown_field", "不认识的字段。", "Unknown field."},
    {"invalid_value", "此项的取值无效。", "This value is not allowed."},
    {"control_characters", "此项含有不允许的控制字符。", "This field contains control characters."},
    // accounts
    {"phone_format", "请输入 11 位中国大陆手机号。", "Enter an 11-digit mainland China mobile number."},
    {"password_weak", "密码至少 8 位，须同时包含字母和数字，且不能包含手机号或身份证号。",
     "The password needs at least 8 characters with both letters and digits, and must not contain "
     "the phone or ID number."},
    {"name_format", "请输入真实姓名（2 到 30 个字）。", "Enter your real name (2 to 30 characters)."},
    {"id_number_format", "身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X。",
     "The ID number must have 18 characters: 17 digits and a final digit or X."},
    {"id_number_region", "身份证号的地区码无效。", "The region code of the ID number is not valid."},
    {"id_number_birth_date", "身份证号中的出生日期无效。", "The birth date in the ID number is not valid."},
    {"id_number_check_digit", "身份证号校验码不正确，请核对。",
     "The check digit of the ID number is wrong; please check the number."},
    {"id_number_taken", "该身份证号已注册账号，一个身份证号只能注册一个账号。",
     "An account already exists for this ID number; one ID number, one account."},
    {"phone_taken", "该手机号已注册。", "This phone number is already registered."},
    {"minor_needs_guardian", "未满 18 周岁的患者需由监护人在其账号中添加。",
     "Patients under 18 are added by a guardian from the guardian's account."},
    {"dependent_not_minor", "只能为未满 18 周岁的未成年人添加监护关系。",
     "Only a minor under 18 can be added as a dependent."},
    {"login_failed", "手机号或密码不正确。", "The phone number or password is wrong."},
    {"account_disabled", "该账号已停用。", "This account is disabled."},
    {"too_many_attempts", "登录失败次数过多，请稍后再试。", "Too many failed sign-ins; please try again later."},
    {"role_unknown", "没有这个角色。", "There is no such role."},
    {"cannot_revoke_own_admin", "不能撤销自己的管理员角色。", "You cannot revoke your own admin role."},
    {"reason_required", "查看他人的健康信息须说明理由。", "Reading another person's health record needs a reason."},
    {"dependent_exists", "该未成年人已由其他监护人登记；如需共同监护，请联系客服。",
     "This minor is already registered by another guardian; contact support to share guardianship."},
    {"already_guardian", "您已是该未成年人的监护人。", "You are already this minor's guardian."},
    // Health code (健康码)
    {"out_of_range", "数值超出允许范围。", "The number is out of the allowed range."},
    {"invalid_date", "日期或时间格式不正确（应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM）。",
     "The date or time is not valid (use YYYY-MM-DD or YYYY-MM-DD HH:MM)."},
    {"date_in_future", "日期不能晚于现在。", "The date cannot be in the future."},
    {"region_unknown", "没有这个行政区划代码。", "There is no administrative division with this code."},
    {"end_before_start", "结束日期不能早于开始日期。", "The end date cannot be before the start date."},
    {"csv_header", "CSV 第一行应为 id_number,sample_id,result,sampled_at。",
     "The first CSV line must be id_number,sample_id,result,sampled_at."},
    {"csv_columns", "该行应有 4 列。", "This line must have 4 columns."},
    {"person_not_found", "找不到该身份证号对应的人员。", "No person with this ID number is registered."},
    {"sample_exists", "该样本编号已录入结果。", "A result for this sample ID is already recorded."},
    {"appeal_open", "您已有一项申诉正在处理中。", "You already have an appeal being handled."},
    {"appeal_green", "绿码无需申诉。", "A green code needs no appeal."},
    {"appeal_not_found", "找不到该申诉。", "The appeal was not found."},
    {"appeal_resolved", "该申诉已处理。", "This appeal has already been resolved."},
    {"venue_not_found", "找不到该场所，请重新扫描场所码。", "The venue was not found; scan the venue code again."},
    {"fact_not_found", "找不到该记录或已撤销。", "The record was not found or is already withdrawn."},
    {"risk_area_not_found", "找不到该风险地区。", "The risk area was not found."},
    {"key_not_found", "找不到该签名密钥。", "The signing key was not found."},
    {"card_malformed", "这不是有效的健康码。", "This is not a valid health code."},
    {"healthcode_key_sealed", "健康码签名密钥无法解密，请检查密钥加密密钥配置。",
     "The health-code signing key cannot be opened; check the key-encryption key."},
};

}  // namespace

const std::vector<Message>& AllMessages() { return kMessages; }

const Message& FindMessage(std::string_view code) {
  auto it = std::find_if(kMessages.begin(), kMessages.end(),
                         [&](const Message& m) { return m.code == code; });
  return it != kMessages.end() ? *it : kMessages.front();
}

bool HasMessage(std::string_view code) {
  return std::any_of(kMessages.begin(), kMessages.end(),
                     [&](const Message& m) { return m.code == code; });
}

}  // namespace ihos
