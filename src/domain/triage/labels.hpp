#pragma once
// The one reviewed table from the training data's labels to ihos department codes (table
// `departments`, migration 0003). The model is trained on the data's own labels; a prediction
// is turned into departments by adding up the probabilities of the labels that map to the same
// department. Change a row here and the README's table together.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ihos::domain::triage {

struct LabelMapping {
  std::string_view source;      // "haodf" (xf2022 label_i) or "toyhom" (internal-medicine sample)
  std::string_view label;       // the label as it appears in the data
  std::string_view department;  // ihos department code
  std::string_view why;         // the reviewer's reason, where the mapping is not a plain rename
};

const std::vector<LabelMapping>& LabelMap();

// The model's label for a data label: "<source>:<label>", e.g. "haodf:甲状腺疾病".
std::string ModelLabel(std::string_view source, std::string_view label);
// A finer model label: the data label and its disease direction (haodf label_j),
// "haodf:甲状腺疾病/甲减". Its department is the data label's.
std::string FineModelLabel(std::string_view model_label, std::string_view direction);
// The data label of a model label: "haodf:甲状腺疾病/甲减" -> "haodf:甲状腺疾病".
std::string_view DataLabelOf(std::string_view model_label);
// The department of a model label (plain or fine); nullopt for a label that is not in the table.
std::optional<std::string_view> DepartmentOf(std::string_view model_label);

// The department suggested when the model is unsure, or absent: 全科.
inline constexpr std::string_view kFallbackDepartment = "general_practice";

}  // namespace ihos::domain::triage
