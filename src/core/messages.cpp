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
    {"out_of_range", "此项的数值超出允许范围。", "This number is outside the allowed range."},
    {"too_many_items", "此项包含的条目过多。", "This list has too many items."},
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
    // directory: hospitals, uploads, practitioner applications and review
    {"region_unknown", "没有这个行政区划代码。", "There is no administrative division with this code."},
    {"region_too_broad", "请选择到市或区县一级。", "Please choose a city or county, not a whole province."},
    {"licence_format", "证书编号格式不正确。", "The licence number is not in the right form."},
    {"title_not_in_department", "心理咨询师、心理治疗师只能在心理类科室执业。",
     "Counsellors and psychotherapists practise only in counselling departments."},
    {"too_few_years", "须有至少 3 年独立临床执业经历。", "At least 3 years of independent clinical practice are required."},
    {"date_format", "日期格式应为 YYYY-MM-DD。", "The date must be a real date written YYYY-MM-DD."},
    {"date_not_future", "日期须晚于今天。", "The date must be after today."},
    {"hospital_exists", "已有同名或同执业许可证号的医院。", "A hospital with this name or licence number already exists."},
    {"department_unknown", "没有这个科室。", "There is no such department."},
    {"hospital_unknown", "没有这家医院。", "There is no such hospital."},
    {"department_not_offered", "该医院未在线开设此科室。", "This hospital does not run this department online."},
    {"file_empty", "文件是空的。", "The file is empty."},
    {"file_type_unsupported", "只接受 JPEG、PNG、WebP 图片或 PDF 文件。", "Only JPEG, PNG or WebP images and PDF files are accepted."},
    {"file_type_mismatch", "文件内容与声明的类型不符。", "The file's content does not match its declared type."},
    {"too_many_uploads", "上传次数过多，请稍后再试。", "Too many uploads; please try again later."},
    {"upload_unknown", "找不到您上传的这个文件。", "This file is not one of your uploads."},
    {"photo_not_image", "照片须为图片。", "The photo must be an image."},
    {"already_practitioner", "您已是本平台的执业医生。", "You are already a practitioner on this platform."},
    {"application_pending", "您已有一份申请正在审核中。", "You already have an application under review."},
    {"application_not_pending", "该申请已审核过。", "This application has already been reviewed."},
    {"licence_number_taken", "该执业证书编号已被其他医生使用。", "Another practitioner already uses this licence number."},
    {"already_suspended", "该医生已被暂停执业。", "This practitioner is already suspended."},
    {"not_suspended", "该医生未被暂停执业。", "This practitioner is not suspended."},
    // scheduling and booking (issue #3)
    {"slot_full", "该时段已约满，请选择其他时段。", "This time is fully booked; please choose another."},
    {"slot_closed", "该时段已停止预约。", "This time is no longer open for booking."},
    {"slot_past", "该时段已开始或已结束，不能预约。", "This time has already started or passed; it cannot be booked."},
    {"appointment_overlap", "就诊人在该时间已有其他预约，不能重复预约。",
     "The patient already has an appointment at this time."},
    {"practitioner_unavailable", "该医生目前不接受预约。", "This doctor is not taking appointments at the moment."},
    {"cannot_book_self", "医生不能预约自己的号源。", "Doctors cannot book their own slots."},
    {"appointment_not_booked", "该预约已取消或已结束，不能再更改。",
     "This appointment is already cancelled or closed; it cannot be changed."},
    {"cancel_cutoff_passed", "已过自助取消截止时间（就诊开始前的一段时间内不能自行取消），如需取消请联系医生。",
     "It is too late to cancel yourself (within the cut-off before the start); please contact the doctor."},
    {"appointment_not_started", "预约时间尚未开始，不能标记爽约。",
     "The appointment has not started yet; it cannot be marked as a no-show."},
    {"not_a_practitioner", "您还不是本平台认证的医生。", "You are not a verified doctor on this platform."},
    {"practitioner_suspended", "医生已被暂停执业。", "The doctor's practice has been suspended."},
    {"slot_has_bookings", "有患者已预约的时段不能删除，请先取消这些预约。",
     "A time with booked patients cannot be removed; cancel those appointments first."},
    {"capacity_below_booked", "号源数不能少于已预约人数，请先取消部分预约。",
     "Capacity cannot go below the number already booked; cancel some appointments first."},
    {"extra_shift_overlap", "新的出诊时间与加诊时段重叠。", "The new hours overlap an extra shift."},
    {"period_overlap", "同一服务的出诊时段不能重叠。", "Periods of the same service cannot overlap."},
    {"end_before_start", "结束时间须晚于开始时间。", "The end time must be after the start time."},
    {"time_format", "时间格式应为 HH:MM（如 08:30）。", "Enter the time as HH:MM (e.g. 08:30)."},
    {"date_past", "日期不能早于今天。", "The date cannot be before today."},
    {"date_too_far", "日期太远，只能安排 90 天以内。", "The date is too far ahead; at most 90 days."},
    {"capacity_range", "号源数应在 1 到 500 之间。", "Capacity must be between 1 and 500."},
    {"price_range", "价格超出允许范围。", "The price is out of range."},
    {"offline_price_required", "门诊时段须填写挂号费（义诊除外）。",
     "Offline visits need a price (except free clinics)."},
    {"free_clinic_not_volunteer", "只有义诊志愿医生可以设置义诊时段。",
     "Only free-clinic volunteers can set free-clinic periods."},
    {"too_many", "项目过多。", "Too many items."},
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
