#include "domain/triage/labels.hpp"

#include <unordered_map>

namespace ihos::domain::triage {

const std::vector<LabelMapping>& LabelMap() {
  static const std::vector<LabelMapping> kMap = {
      // haodf xf2022 就诊方向 (label_i), 20 labels
      {"haodf", "乳腺外科", "breast_surgery", ""},
      {"haodf", "产前检查", "obstetrics", "antenatal care is obstetrics (产科)"},
      {"haodf", "内科", "internal_medicine", ""},
      {"haodf", "呼吸内科", "respiratory", ""},
      {"haodf", "咽喉疾病", "ent", "throat and larynx diseases are seen in 耳鼻喉科"},
      {"haodf", "妇产科", "gynecology",
       "its disease directions are menstrual disorders, vulval disease, 妇科病, hysteroscopy and threatened "
       "miscarriage; antenatal questions have their own label (产前检查 -> obstetrics)"},
      {"haodf", "小儿保健", "pediatrics", "child health care (儿童保健, growth, trace elements) is 儿科"},
      {"haodf", "小儿呼吸系统疾病", "pediatrics", "children's respiratory disease is seen in 儿科 first"},
      {"haodf", "小儿消化疾病", "pediatrics", "children's digestive disease is seen in 儿科 first"},
      {"haodf", "小儿耳鼻喉", "pediatrics",
       "a child's ENT complaint (mostly colds, tonsils, adenoids) is seen in 儿科 first; 耳鼻喉科 is usually the "
       "second suggestion the model gives"},
      {"haodf", "心内科", "cardiology", ""},
      {"haodf", "消化内科", "gastroenterology", ""},
      {"haodf", "甲状腺疾病", "endocrinology",
       "thyroid function (甲减, 桥本) is 内分泌科; nodules and tumours may later need thyroid surgery, which the "
       "endocrinologist refers to"},
      {"haodf", "皮肤科", "dermatology", ""},
      {"haodf", "直肠肛管疾病", "anorectal_surgery", "haemorrhoids and anorectal disease are 肛肠科"},
      {"haodf", "眼科", "ophthalmology", ""},
      {"haodf", "神经内科", "neurology", ""},
      {"haodf", "脊柱退行性变", "spine_surgery",
       "degenerative spine disease and lumbar disc herniation are 脊柱外科 (an orthopaedic sub-specialty)"},
      {"haodf", "运动医学", "sports_medicine", "knee ligament and meniscus injuries are 运动医学科"},
      {"haodf", "骨科", "orthopedics", ""},
      // toyhom internal-medicine sample, 11 sub-departments of the answering doctor
      {"toyhom", "肝病科", "hepatology", ""},
      {"toyhom", "消化科", "gastroenterology", ""},
      {"toyhom", "神经科", "neurology", "the sample is internal medicine only, so 神经科 here is 神经内科"},
      {"toyhom", "心血管科", "cardiology", ""},
      {"toyhom", "内分泌科", "endocrinology", ""},
      {"toyhom", "呼吸科", "respiratory", ""},
      {"toyhom", "肾内科", "nephrology", ""},
      {"toyhom", "感染科", "infectious_diseases", ""},
      {"toyhom", "血液科", "hematology", ""},
      {"toyhom", "普通内科", "internal_medicine", ""},
      {"toyhom", "风湿免疫科", "rheumatology", ""},
  };
  return kMap;
}

std::string ModelLabel(std::string_view source, std::string_view label) {
  std::string s(source);
  s += ':';
  s += label;
  return s;
}

std::string FineModelLabel(std::string_view model_label, std::string_view direction) {
  std::string s(model_label);
  if (!direction.empty()) {
    s += '/';
    s += direction;
  }
  return s;
}

std::string_view DataLabelOf(std::string_view model_label) { return model_label.substr(0, model_label.find('/')); }

std::optional<std::string_view> DepartmentOf(std::string_view model_label) {
  model_label = DataLabelOf(model_label);
  static const auto* index = [] {
    auto* m = new std::unordered_map<std::string, std::string_view>();
    for (const auto& row : LabelMap()) (*m)[ModelLabel(row.source, row.label)] = row.department;
    return m;
  }();
  auto it = index->find(std::string(model_label));
  if (it == index->end()) return std::nullopt;
  return it->second;
}

}  // namespace ihos::domain::triage
