#include "domain/triage/red_flags.hpp"

#include <opencc/opencc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "domain/triage/text.hpp"

namespace ihos::domain::triage {

namespace {

using K = RedFlagKind;
using Terms = std::vector<std::string_view>;

// Words that say "now": the sign has just begun. Used by rules whose signs are also common
// long-standing complaints, and to keep a clause current when it also names the past.
const Terms kOnset = {"突然",       "忽然",   "突发",     "一下子",       "猛地",      "刚才",        "刚刚",
                      "今天",       "今早",   "今晚",     "早上起来",     "醒来",      "起床后",      "起来后",
                      "半小时",     "一小时", "小时前",   "分钟前",       "十几分钟",  "正在",        "吃着饭",
                      "吃饭的时候", "sudden", "just now", "this morning", "right now", "an hour ago", "minutes ago"};

// For a named emergency ("好像中风了"): the onset words, or a suspicion voiced now.
const Terms kOnsetOrSuspected = [] {
  auto v = kOnset;
  for (std::string_view w : {"好像", "是不是", "可能是", "怀疑", "了吧", "i think", "maybe", "might be", "可能"})
    v.push_back(w);
  return v;
}();

// A recurring or long-standing complaint, or a question about a known condition ("经常呼吸困难",
// "癫痫每次发作都口吐白沫", "车祸后膝盖疼"): rules whose signs are also chronic complaints need a word
// saying "now" when one of these is in the text (MTS: the discriminators describe the current episode).
const Terms kChronic = {
    "经常", "有时候", "有时", "偶尔", "时不时", "反复", "每次", "每天", "每晚", "总是", "老是", "常常", "时常",
    "活动后", "运动后", "稍有活动", "一活动", "爬楼", "上楼", "阵发性", "好几年", "多年", "几年", "年了", "个月了",
    "多月", "一个月", "几个月", "半年", "一段时间", "这段时间", "很久", "一直都", "每当", "复发", "确诊", "诊断",
    "病史", "住院", "出院", "复查", "术后", "手术", "哪家", "有什么办法", "怎么治", "如何治", "能治好", "治疗方法",
    "遗传", "次了", "发病", "星期一次", "周一次", "一个星期", "周了", "天了", "损伤", "医院",
    // a consultation about a known complaint (the Haodf form's "hope for help" boilerplate)
    "检查", "治疗", "吃药", "吃了药", "服药", "引起", "什么病", "什么毛病", "怎么回事", "什么原因", "挂什么", "科室",
    "哪个科", "看什么科", "建议", "需要注意", "深呼吸", "吸氧", "因为什么", "结痂"};

// Long-standing signs, for the stroke signs (a narrower list than kChronic: "去医院" must not hide a
// stroke).
const Terms kLongStanding = {"有时",   "偶尔",   "经常", "年了", "几年",   "多年",   "好几年", "个月了",
                             "越来越", "岁了",   "语言", "迟缓", "说话晚", "孩子",   "宝宝",   "小孩",
                             "幼儿",   "小朋友", "岁半", "发育", "面瘫",   "面神经", "轻微"};

// A child is the subject (WHO IMCI danger signs; a child's swallowed tablets).
const Terms kChild = {"孩子",    "宝宝",   "小孩", "儿子",   "女儿",   "娃",   "宝贝",
                      "婴儿",    "新生儿", "幼儿", "小朋友", "孙子",   "孙女", "外孙",
                      "toddler", "baby",   "kid",  "child",  "infant", "son",  "daughter"};

}  // namespace

const std::vector<RedFlagRule>& RedFlagRules() {
  static const std::vector<RedFlagRule> kRules = {
      // ---- chest pain first: its reason is the most specific (cn2018 level 2 ACS, MTS cardiac pain)
      {"chest_pain_warning_signs",
       K::emergency,
       {{"胸痛",       "胸口痛",   "胸口疼",   "胸口闷痛",   "胸闷痛",         "胸部疼",           "胸部痛",
         "胸口剧痛",   "胸口好痛", "胸口很疼", "胸口很痛",   "胸口突然很疼",   "心口痛",           "心口疼",
         "心脏那块疼", "心脏疼",   "心脏痛",   "心前区",     "胸口压",         "胸口像",           "胸口闷得",
         "胸口憋",     "胸口…痛",  "胸口…疼",  "chest pain", "chest pressure", "pain in my chest", "pain in the chest"},
        {"出汗",     "大汗",     "冷汗",  "冒汗",   "虚汗", "呼吸困难", "喘不上气", "喘不过气", "透不过气", "喘气都疼",
         "放射",     "左臂",     "胳膊",  "左肩",   "肩膀", "下巴",     "下颌",     "后背",     "背上",     "濒死",
         "快死了",   "要死",     "晕厥",  "晕倒",   "要晕", "煞白",     "苍白",     "想吐",     "恶心",     "撕裂",
         "手脚发麻", "硝酸甘油", "sweat", "breath", "arm",  "jaw",      "faint",    "sick",     "nause"}},
       "胸痛伴出汗、气短或放射痛，可能是急性心肌梗死等急症，请立即拨打 120。",
       "Chest pain with sweating, breathlessness or pain spreading to the arm or jaw can be a heart attack: call "
       "120.",
       {},
       "cn2018.acs",
       kChronic},
      {"crushing_or_tearing_pain",
       K::emergency,
       {{"压了块大石头", "压了块石头", "像压了块", "压榨样", "压榨性", "像有大象", "大象踩", "撕裂一样", "撕裂样",
         "被人勒住", "crushing chest", "tearing pain"}},
       "压榨样胸痛或撕裂样胸背痛可能是心肌梗死或主动脉夹层，请立即拨打 120。",
       "Crushing chest pain or tearing pain in the chest or back can be a heart attack or a torn aorta: call 120.",
       {},
       "cn2018.acs"},
      // ---- stroke: BE-FAST (Balance, Eyes, Face, Arm, Speech, Time); 中国卒中学会 "中风120"
      {"stroke_signs",
       K::emergency,
       {{"嘴歪",
         "嘴巴歪",
         "嘴角歪",
         "嘴是歪",
         "嘴角下垂",
         "嘴角往下",
         "口角歪",
         "口眼歪",
         "眼斜",
         "脸歪",
         "一边脸歪",
         "脸一边",
         "一侧面瘫",
         "半身不遂",
         "半边身子",
         "半边身体",
         "半边身",
         "一侧肢体",
         "一侧手脚",
         "一边手脚",
         "一侧身体",
         "一边身体",
         "左边手脚",
         "右边手脚",
         "左边胳膊腿",
         "右边胳膊腿",
         "一边胳膊",
         "一侧无力",
         "手脚不听使唤",
         "往一边倒",
         "往一边偏",
         "拖着一条腿",
         "说话不清",
         "说话也不清",
         "说话不利索",
         "说话也不利索",
         "话都说不清",
         "说话含糊",
         "含含糊糊",
         "含糊不清",
         "口齿不清",
         "口齿突然不清",
         "吐字不清",
         "言语不清",
         "讲话不清",
         "大舌头",
         "舌头发硬",
         "说话打结",
         "跟喝醉了一样",
         "face droop",
         "face is droop",
         "facial droop",
         "slurred",
         "one side of his body",
         "one side of her body",
         "one side of my body",
         "one side of the face",
         "can't speak properly",
         "cannot speak properly",
         "arm weakness"}},
       "口角歪斜、一侧手脚无力或说话不清，可能是脑卒中，每一分钟都很重要。",
       "Face drooping, one-sided weakness or slurred speech may be a stroke: every minute counts.",
       {"中风后遗症", "卒中后遗症", "脑梗后遗症"},
       "befast",
       kLongStanding},
      {"stroke_signs_sudden",
       K::emergency,
       {{"一只手", "一条腿", "一边", "半边",     "左手",    "右手",    "左腿", "右腿",   "左边",
         "右边",   "左侧",   "右侧", "一侧",     "左胳膊",  "右胳膊",  "筷子", "一只眼", "一半",
         "看东西", "舌头",   "嘴",   "one side", "one arm", "one eye", "arm",  "face"},
        {"抬不起", "没力气", "没劲",   "没力",   "无力",      "发麻",       "麻了",
         "拿不住", "不会动", "动不了", "不能动", "站不稳",    "走不稳",     "看不见",
         "重影",   "不会拿", "weak",   "numb",   "can't see", "cannot see", "double vision"},
        kOnset},
       "突然出现一侧无力、麻木或看不见，可能是脑卒中，请立即拨打 120。",
       "Sudden one-sided weakness or numbness, or loss of sight, may be a stroke: call 120 now.",
       {},
       "befast",
       kChronic},
      {"stroke_speech_sudden",
       K::emergency,
       {{"说不出话", "讲不出", "说不了话", "can't speak", "cannot speak"}, kOnset},
       "突然说不出话，可能是脑卒中，请立即拨打 120。",
       "Suddenly unable to speak may be a stroke: call 120 now.",
       {},
       "befast",
       kChronic},
      {"stroke_named",
       K::emergency,
       {{"中风", "脑卒中", "卒中", "脑梗", "脑出血", "脑溢血", "stroke"}, kOnsetOrSuspected},
       "疑似刚发生的脑卒中（中风），请立即拨打 120。",
       "A stroke that may be happening now: call 120 at once.",
       {"中风后遗症", "卒中后遗症", "脑梗后遗症", "防中风", "防脑梗"},
       "befast"},
      {"stroke_named_now",
       K::emergency,
       {{"中风了", "脑梗了", "脑出血了", "脑溢血了", "卒中了", "having a stroke", "had a stroke today"}},
       "疑似刚发生的脑卒中（中风），请立即拨打 120。",
       "A stroke that may be happening now: call 120 at once.",
       {},
       "befast"},
      // ---- seizures: MTS "currently fitting"; NICE NG217 (a seizure over 5 minutes is an emergency)
      {"seizure_now",
       K::emergency,
       {{"抽搐",     "抽风",     "惊厥",       "癫痫发作", "癫痫又发作", "羊角风",     "羊癫疯",    "口吐白沫",
         "翻白眼",   "眼睛上翻", "眼睛往上翻", "全身抽",   "浑身抽",     "一抽一抽",   "在地上抽",  "还在抽",
         "又抽了",   "又接着抽", "接着抽",     "突然抽了", "抽个不停",   "抽起来",     "抽完",      "全身发硬",
         "全身僵直", "牙关紧闭", "抽筋，眼",   "seizure",  "fitting",    "convulsion", "convulsing"}},
       "正在发生或刚发生的抽搐需要急救：让病人侧卧，不要往嘴里塞东西，立即拨打 120。",
       "A seizure that is happening or has just happened needs emergency care: lay the person on their side and "
       "call 120.",
       {"眼皮抽搐", "面肌抽搐", "面部抽搐", "脸抽搐", "嘴角抽搐", "肌肉抽搐", "小腿抽搐", "腿抽搐", "手指抽搐",
        "眼睛抽搐", "眼角抽搐", "胃抽搐", "抽搐症", "抽动症", "抽抽搭搭"},
       "mts.fitting",
       kChronic},
      // ---- consciousness and breathing: 急诊预检分诊专家共识 2018 level 1 (心跳呼吸骤停, 气道不能维持,
      // GCS<9) and level 2 (意识改变); MTS unresponsive child/adult, airway compromise, inadequate breathing
      {"unconscious",
       K::emergency,
       {{"叫不醒",           "叫不太醒",       "叫也叫不醒",   "喊不醒",      "拍不醒",     "拍都不醒",
         "都不醒",           "弄不醒",         "叫不应",       "喊不应",      "叫都没反应", "叫…没反应",
         "喊…没反应",        "拍…没反应",      "没有反应了",   "没反应了",    "晕倒了，没", "昏迷",
         "昏过去",           "晕过去",         "昏倒",         "晕倒了",      "晕倒在",     "不省人事",
         "人事不省",         "失去意识",       "意识不清",     "神志不清",    "意识模糊",   "不认识人",
         "认不出",           "人迷糊",         "昏睡",         "昏昏沉沉",    "说胡话",     "胡言乱语",
         "不哭不动",         "倒在地上不动",   "倒地",         "叫…不理",     "叫…不太理",  "喊…不理",
         "眼睛睁着但是不理", "not responding", "unresponsive", "unconscious", "won't wake", "will not wake",
         "passed out",       "collapsed"}},
       "意识丧失、叫不醒或没有呼吸，请立即拨打 120；会做心肺复苏就马上开始。",
       "Someone who is unconscious, cannot be woken or is not breathing needs an ambulance (120) now; start CPR "
       "if you can.",
       {"没有呼吸困难", "没有呼吸急促", "没有呼吸道", "没呼吸困难", "睡不醒", "昏昏沉沉的想睡", "认不出字"},
       "cn2018.unresponsive",
       kChronic},
      {"breathing_difficulty",
       K::emergency,
       {{"呼吸困难",
         "呼吸困男",
         "喘不上气",
         "喘不过气",
         "上不来气",
         "透不过气",
         "吸不进气",
         "喘气困难",
         "喘不动",
         "气喘不上来",
         "憋得不行",
         "坐着都喘",
         "坐起来也喘",
         "大口喘气",
         "喘得厉害",
         "喘得很厉害",
         "呼吸很急",
         "说话断断续续",
         "can't breathe",
         "cannot breathe",
         "can't breathe",
         "difficulty breathing",
         "struggling to breathe",
         "gasping",
         "short of breath"}},
       "呼吸困难、窒息或口唇发紫需要立即急救，请拨打 120。",
       "Difficulty breathing, choking or blue lips needs emergency care now: call 120.",
       {"发紫的淤", "指甲发紫", "手指发紫", "脚趾发紫", "紫癜", "嘴唇发紫的原因", "窒息感"},
       "cn2018.airway",
       kChronic},
      // ---- circulation: cn2018 level 2 疑似急性冠脉综合征, 休克, 严重心律失常; MTS cardiac pain, shock
      {"shock_signs",
       K::emergency,
       {{"面色苍白", "脸色苍白", "脸色煞白", "脸色发白", "浑身湿冷", "皮肤湿冷", "大汗淋漓", "血压测不", "血压量不到",
         "血压测不到", "脉搏摸不到", "摸不到脉", "虚脱"},
        {"手脚冰凉", "四肢冰凉", "冷汗", "血压低", "血压测不", "血压量不到", "脉搏摸不到", "摸不到脉", "虚脱", "迷糊",
         "晕", "上不来气", "淋漓", "湿冷"}},
       "面色苍白、手脚冰凉、出冷汗、血压测不到可能是休克，请立即拨打 120。",
       "Pale, cold and clammy skin with low or unmeasurable blood pressure may be shock: call 120.",
       {},
       "cn2018.shock"},
      {"palpitations_with_collapse",
       K::emergency,
       {{"心慌", "心悸", "心跳", "心率"}, {"眼前发黑", "眼前一黑", "差点晕倒", "要晕", "晕倒", "晕过去", "想晕倒"}},
       "心慌伴眼前发黑或要晕倒可能是严重心律失常，请立即就医或拨打 120。",
       "Palpitations with blacking out or nearly fainting may be a dangerous heart rhythm: get emergency care.",
       {},
       "cn2018.heart"},
      {"heavy_bleeding",
       K::emergency,
       {{"大出血",
         "大量出血",
         "出血很多",
         "出血不止",
         "流血不止",
         "血流不止",
         "止不住血",
         "血止不住",
         "血…止不住",
         "血…按不住",
         "血…一直流",
         "出血…不停",
         "血一直往外冒",
         "往外冒血",
         "喷血",
         "血喷",
         "血流如注",
         "吐血",
         "呕血",
         "一大口血",
         "半盆血",
         "咳了…鲜血",
         "咳…口血",
         "大口咯血",
         "大量咯血",
         "大量便血",
         "便血很多",
         "大便全是血",
         "很多黑便",
         "流了很多血",
         "流了好多血",
         "湿透",
         "heavy bleeding",
         "bleeding heavily",
         "bleeding a lot",
         "won't stop bleeding",
         "bleeding that won't stop",
         "vomiting blood",
         "coughing up blood"}},
       "大量出血或吐血、呕血需要立即急救：用力按住伤口，拨打 120。",
       "Heavy bleeding, or vomiting or coughing up blood, needs emergency care now: press on the wound and call "
       "120.",
       {"湿透了衣服", "汗湿透", "出汗湿透"},
       "cn2018.bleed",
       kChronic},
      // ---- headache and meningism: NICE CKS headache (thunderclap), MTS abrupt onset; NICE NG143/NG240
      {"sudden_severe_headache",
       K::emergency,
       {{"头痛欲裂", "头要炸", "头…要炸", "头…炸开", "头…炸了", "头…爆炸", "头…裂开", "最厉害的一次头",
         "最严重的一次头", "这辈子最…头", "雷击样头痛", "霹雳样头痛", "像被雷劈一样", "worst headache", "thunderclap"}},
       "突然发生的剧烈头痛可能是脑出血等急症，请立即拨打 120。",
       "A sudden, severe headache can be a bleed in the brain: call 120.",
       {},
       "nice.headache"},
      {"sudden_severe_headache_onset",
       K::emergency,
       {{"头痛", "头疼", "头剧痛", "头部剧痛", "脑袋", "后脑勺", "headache"},
        {"突然", "突发", "一下子", "猛然", "忽然", "sudden"},
        {"剧", "厉害", "要命", "受不了", "难忍", "炸", "裂", "抱着头", "从来没", "severe"}},
       "突然发生的剧烈头痛可能是脑出血等急症，请立即拨打 120。",
       "A sudden, severe headache can be a bleed in the brain: call 120.",
       {},
       "nice.headache"},
      {"fever_with_meningism_or_rash",
       K::emergency,
       {{"发烧", "发热", "高烧", "高热", "烧到", "fever"}, {"脖子硬",        "脖子僵",
                                                            "脖子发硬",      "脖子转不动",
                                                            "颈部僵硬",      "颈项强直",
                                                            "颈强直",        "低不下头",
                                                            "低不了头",      "stiff neck",
                                                            "紫色的斑",      "紫点",
                                                            "紫斑",          "紫癜",
                                                            "瘀斑",          "瘀点",
                                                            "出血点",        "不褪色",
                                                            "按了不褪",      "压了不褪",
                                                            "按了不消",      "说胡话",
                                                            "喷射状呕吐",    "喷射性呕吐",
                                                            "non-blanching", "rash that doesn't fade"}},
       "发烧伴脖子发硬或按压不褪色的皮疹，可能是脑膜炎或败血症，请立即去急诊。",
       "Fever with a stiff neck or a rash that does not fade under pressure can be meningitis or sepsis: go to the "
       "emergency department now.",
       {},
       "nice.meningism"},
      // ---- children: WHO IMCI general danger signs
      {"child_danger_signs",
       K::emergency,
       {kChild,
        {"喝不进",       "不能喝水",         "喝不了水",     "一口奶都不吃", "一口都不吃",   "完全不吃奶", "吃不了奶",
         "不能吃奶",     "喂不进",           "吃什么吐什么", "喂什么吐什么", "喝什么吐什么", "喝口水也吐", "喝水也吐",
         "什么都吐",     "吐个不停",         "吐绿水",       "吐出来的是绿", "吐…绿色",      "叫不醒",     "叫不太醒",
         "软绵绵",       "眼睛都睁不开",     "哭声很弱",     "叫…不理",      "叫…不太理",    "喊…不理",    "叫醒了又",
         "一天没尿",     "半天没尿",         "眼窝凹陷",     "哭没有眼泪",   "哭没眼泪",     "floppy",     "won't wake",
         "not drinking", "vomits everything"}},
       "孩子喝不进水或奶、吃什么吐什么、抽搐或叫不醒，是危险信号，请立即去急诊。",
       "A child who cannot drink or feed, vomits everything, has fits or is hard to wake is in danger: go to the "
       "emergency department now.",
       {"吐奶"},
       "imci"},
      {"cardiac_arrest",
       K::emergency,
       {{"没呼吸", "没有呼吸", "呼吸停", "没气了", "没心跳", "没有心跳", "心跳停", "not breathing", "barely breathing",
         "no pulse"}},
       "没有呼吸或心跳：立即拨打 120，马上开始胸外按压（心肺复苏）。",
       "No breathing or no pulse: call 120 and start chest compressions (CPR) now.",
       {"没有呼吸困难", "没有呼吸急促", "没有呼吸道", "没呼吸困难", "没有呼吸不畅"},
       "cn2018.unresponsive"},
      {"airway_or_cyanosis",
       K::emergency,
       {{"窒息",         "噎住",          "误吸",
         "嘴唇发紫",     "嘴唇紫",        "嘴唇发青",
         "嘴唇有点发紫", "口唇发紫",      "口唇发绀",
         "脸发紫",       "憋得发紫",      "脸…发紫",
         "发绀",         "脸色发青",      "脸色青紫",
         "嘴唇青紫",     "口唇青紫",      "鼻翼一扇",
         "鼻翼扇动",     "吸气时…凹",     "三凹征",
         "话都说不完整", "说不了完整",    "粉红色泡沫痰",
         "choking",      "lips are blue", "lips turning blue"}},
       "窒息、噎住或口唇发紫需要立即急救，请拨打 120。",
       "Choking or blue lips needs emergency care now: call 120.",
       {"发紫的淤", "指甲发紫", "手指发紫", "脚趾发紫", "紫癜", "嘴唇发紫的原因", "窒息感"},
       "cn2018.airway",
       kChronic},
      {"child_choking",
       K::emergency,
       {kChild, {"卡住", "卡着", "呛咳", "噎住", "误吸", "吸进去", "choking", "choked"}},
       "孩子被东西卡住、呛咳不止，可能是气道异物，请立即拨打 120（会做海姆立克法就马上做）。",
       "A child choking on something may have a blocked airway: call 120 and start back blows / abdominal thrusts.",
       {"鱼刺卡"},
       "cn2018.airway"},
      // ---- infant fever is checked by InfantAgeDays below (NICE NG143)
      // ---- poisoning: 国家卫生健康委 中毒急救; WHO poisoning; MTS overdose and poisoning
      {"poisoning_drug",
       K::emergency,
       {{"误服",
         "误食",
         "误吃",
         "误吞",
         "误喝",
         "吃错药",
         "吃错了药",
         "药吃重复",
         "吃重复了",
         "一整瓶",
         "整瓶",
         "一板…吃了",
         "一板…都吃",
         "一瓶…全",
         "一瓶…都",
         "吞了一瓶",
         "吃了一瓶",
         "吞了…药",
         "吃了很多安眠药",
         "吃了一把",
         "几十片",
         "三十片",
         "二十片",
         "十几片",
         "服药过量",
         "药物过量",
         "吃药过量",
         "过量服",
         "服用过量",
         "吃了过量",
         "多吃了好几倍",
         "当糖吃",
         "纽扣电池",
         "吞了…电池",
         "磁铁珠",
         "磁力珠",
         "吞了磁",
         "磁铁…吞",
         "overdose",
         "swallowed…pills",
         "swallowed…tablets",
         "swallowed…battery",
         "took…pills"}},
       "误服药物、过量服药或吞下电池、磁铁需要立即急救，请拨打 120 并带上药盒。",
       "Swallowed medicines, an overdose, a button battery or magnets need emergency care now: call 120 and bring "
       "the package.",
       {"误吞鱼刺", "误食鱼刺", "误吞枣核"},
       "tox.drug",
       kChronic},
      {"poisoning_child_tablets",
       K::emergency,
       {kChild, {"偷吃",      "大人的药",  "奶奶的…药", "爷爷的…药", "外婆的…药", "外公的…药", "姥姥的…药",
                 "姥爷的…药", "妈妈的…药", "爸爸的…药", "老人的…药", "把…药…吃",  "好几片",    "几片",
                 "半瓶",      "全喝了",    "grandma",   "grandpa",   "pills",     "tablets"}},
       "孩子吃了大人的药可能中毒，即使现在没有症状也请立即去急诊，带上药盒。",
       "A child who swallowed an adult's tablets may be poisoned even without symptoms yet: go to the emergency "
       "department now with the package.",
       {"几片叶子"},
       "tox.drug"},
      {"poisoning_pesticide",
       K::emergency,
       {{"农药",   "敌敌畏",    "百草枯",     "草甘膦",   "乐果",       "甲胺磷",   "有机磷",
         "杀虫剂", "杀虫药",    "除草剂",     "老鼠药",   "鼠药",       "毒鼠强",   "灭鼠药",
         "打药",   "pesticide", "weedkiller", "paraquat", "rat poison", "herbicide"},
        {"喝", "吃", "服", "吞", "误", "中毒", "口吐白沫", "流口水", "瞳孔", "吐", "头晕", "出汗", "drank", "swallow",
         "ate", "took", "drink"}},
       "农药、鼠药中毒需要立即急救：拨打 120，带上农药瓶。",
       "Pesticide or rat-poison poisoning needs emergency care now: call 120 and bring the bottle.",
       {"农药残留"},
       "tox.pesticide"},
      {"carbon_monoxide",
       K::emergency,
       {{"煤气", "一氧化碳", "烧炭", "炭火", "炭盆", "煤炉", "炉子", "燃气", "取暖器", "暖炉", "烧煤", "蜂窝煤",
         "车库里", "漏气", "gas heater", "carbon monoxide", "charcoal", "co中毒"},
        {"头晕", "头痛", "头疼", "恶心", "想吐", "呕吐", "吐", "晕", "叫不醒", "站不起来", "乏力", "中毒", "没精神",
         "dizzy", "headache", "vomit", "nause"}},
       "可能是一氧化碳（煤气）中毒：立即开窗、离开房间，拨打 120。",
       "This may be carbon monoxide poisoning: open the windows, get everyone out and call 120.",
       {"一氧化碳弥散"},
       "tox.co"},
      {"poisoning_chemical",
       K::emergency,
       {{"84消毒液", "消毒液", "漂白剂", "漂白水", "洗衣液", "洗衣粉",    "洗洁精",       "疏通剂", "干燥剂",
         "洁厕",     "去除剂", "洗甲水", "汽油",   "煤油",   "强酸",      "强碱",         "野蘑菇", "毒蘑菇",
         "野生菌",   "河豚",   "假酒",   "甲醇",   "bleach", "detergent", "drain cleaner"},
        {"喝", "吃", "误", "吞", "当成水", "吐", "泻", "麻", "看不清", "drank", "swallow", "ate", "drink"}},
       "误服化学品、毒蘑菇或假酒需要立即急救，请拨打 120 并带上包装。",
       "Swallowed chemicals, poisonous mushrooms or methanol need emergency care now: call 120 and bring the "
       "package.",
       {},
       "tox.chem"},
      // ---- suicide and self-harm: WHO LIVE LIFE (2021), mhGAP-IG 2.0 self-harm/suicide module
      {"suicidal_intent",
       K::mental_health,
       {{"自杀",        "自刹",         "轻生",           "不想活",      "活不下去",     "想死",
         "去死",        "寻死",         "自尽",           "活着没意思",  "活着真没意思", "活着没有意思",
         "活着没意义",  "活着没有意义", "活着好累",       "一了百了",    "死了算了",     "不如死了",
         "死了对",      "结束生命",     "结束自己",       "结束这一切",  "了结自己",     "遗书",
         "跳楼",        "跳河",         "跳下去",         "割腕",        "割手腕",       "划自己",
         "自己划的",    "伤害自己",     "自残",           "自伤",        "烫自己",       "撑不下去",
         "准备好了…药", "攒了…药",      "suicide",        "suicidal",    "kill myself",  "killing myself",
         "end my life", "want to die",  "cutting myself", "hurt myself", "self-harm",    "self harm"}},
       "你提到了轻生或伤害自己的想法。你并不孤单，现在就可以找人谈谈。",
       "You mentioned thoughts of ending your life or harming yourself. You are not alone; you can talk to someone "
       "now.",
       {"想死你", "想死我了", "想死他", "想死她", "自杀式", "自伤性", "自杀干预", "自杀预防"},
       "mh"},
      // ---- pregnancy: WHO antenatal care recommendations (2016) danger signs; 孕产妇妊娠风险评估与管理工作规范
      {"pregnancy_emergency",
       K::emergency,
       {{"怀孕", "孕妇", "妊娠", "孕期", "孕早", "孕中", "孕晚", "孕周", "孕", "停经", "宫外孕", "产后", "pregnan"},
        {"剧痛",       "剧烈",       "疼得厉害", "痛得厉害", "腹痛难忍", "大量出血",     "出血很多",
         "流了很多血", "大出血",     "阴道出血", "下面出血", "下面流血", "出血，",       "还出血",
         "羊水破",     "破水",       "流水",     "抽搐",     "眼睛上翻", "眼前发花",     "眼花",
         "视物模糊",   "头痛得厉害", "没胎动",   "没有胎动", "胎动消失", "晕倒",         "撞到肚子",
         "摔倒",       "一阵阵疼",   "硬邦邦",   "bleeding", "severe",   "waters broke", "water broke"}},
       "孕期出血、剧烈腹痛、破水、抽搐、剧烈头痛眼花或胎动消失，请立即去医院或拨打 120。",
       "Bleeding, severe abdominal pain, waters breaking, fits, severe headache with blurred vision or no baby "
       "movements in pregnancy: go to hospital now or call 120.",
       {"避孕", "不孕", "备孕", "未孕", "孕前", "孕酮"},
       "preg"},
      // ---- anaphylaxis: World Allergy Organization Anaphylaxis Guidance 2020
      {"anaphylaxis",
       K::emergency,
       {{"过敏", "allerg", "蜇", "蛰", "花生", "坚果", "海鲜", "打完针", "输液", "青霉素", "头孢", "peanut"},
        {"喉咙肿",     "喉咙发紧", "嗓子发紧", "喉头水肿", "嗓子肿", "喉咙…堵",  "喉咙…肿",  "舌头肿",   "舌头…肿",
         "嘴唇肿",     "嘴唇…肿",  "嘴都肿",   "脸和嘴",   "咽不下", "呼吸困难", "喘不上气", "胸闷气短", "胸闷喘",
         "呼吸有声音", "血压掉",   "血压下降", "发晕",     "晕倒",   "throat",   "tongue",   "lips",     "breath"}},
       "严重过敏反应（喉咙或舌头肿、呼吸困难、头晕）可能危及生命，请立即拨打 120。",
       "A severe allergic reaction (swollen throat or tongue, difficulty breathing, feeling faint) can be "
       "life-threatening: call 120.",
       {},
       "waoana"},
      // ---- major trauma: MTS major trauma / head injury; cn2018 level 1-2 严重创伤; WHO/ICRC Basic Emergency Care
      {"major_trauma",
       K::emergency,
       {{"车祸",       "被车撞",       "撞车",         "被撞飞",   "从…楼…掉", "从…楼…摔", "从…楼…跳",
         "楼上摔",     "掉下去了",     "高处坠落",     "坠楼",     "坠落",     "脚手架",   "被刀捅",
         "捅了",       "被人用刀",     "刀捅",         "刺伤",     "砍伤",     "枪伤",     "骨头露出",
         "骨头都露出", "骨头戳出",     "切断",         "手指断了", "压在下面", "被重物",   "被牛顶",
         "咬得很深",   "腿变短",       "从二楼",       "从三楼",   "从四楼",   "从高处",   "高处摔",
         "楼梯上滚下", "hit by a car", "car accident", "stabbed",  "was shot", "crushed",  "fell from"}},
       "严重外伤（车祸、高处坠落、刀伤、骨头外露、被重物压）需要立即急救，请拨打 120，不要随意搬动伤者。",
       "A major injury (traffic accident, fall from a height, stab wound, exposed bone, crush) needs emergency "
       "care now: call 120 and do not move the person unless they are in danger.",
       {"车祸后遗症"},
       "trauma",
       kChronic},
      {"head_injury_warning_signs",
       K::emergency,
       {{"头撞",       "头部撞",     "撞到头",       "撞了头",       "磕到头",      "摔到头",      "头着地",
         "后脑勺着地", "摔到后脑勺", "头被",         "头部受伤",     "头部外伤",    "脑袋撞",      "打到头",
         "砸到头",     "头磕",       "hit his head", "hit her head", "hit my head", "head injury", "head injuries"},
        {"迷糊",     "糊涂",     "颠三倒四", "想不起", "记不起",   "吐",    "想睡",
         "越来越困", "嗜睡",     "反应慢",   "晕了",   "昏",       "抽",    "耳朵里流血",
         "耳朵流血", "鼻子流水", "越来越痛", "一直哭", "confused", "vomit", "drowsy"}},
       "头部受伤后意识模糊、呕吐、嗜睡或抽搐，可能是颅内出血，请立即去急诊。",
       "After a head injury, confusion, vomiting, drowsiness or a fit can mean bleeding in the skull: go to the "
       "emergency department now.",
       {},
       "trauma.head"},
      // ---- burns, electricity, drowning, heat, bites: MTS burns and scalds, WHO/ICRC Basic Emergency Care
      {"serious_burn",
       K::emergency,
       {{"烧伤", "烫伤", "烫了", "着火", "火烧", "浓烟", "强酸", "强碱", "化学品", "泼到", "溅进", "溅到", "was burned",
         "got burned", "burned by", "burnt by", "scalded"},
        {"大片", "大半", "大面积", "面积很大", "全身",     "半个身子", "脸",   "面部", "眼睛",
         "胸",   "肚子", "背",     "腿",       "声音嘶哑", "黑痰",     "浓烟", "硫酸", "强碱",
         "强酸", "化学", "皮都黑", "焦",       "chest",    "face",     "large"}},
       "大面积、面部、吸入浓烟或化学烧伤需要立即急救：用流动凉水冲洗，拨打 120。",
       "A large burn, a burn of the face, smoke inhalation or a chemical burn needs emergency care: cool it with "
       "running water and call 120.",
       {"晒伤", "火烧感", "火烧一样", "火烧火燎", "烧心"},
       "burn",
       kChronic},
      {"electrocution",
       K::emergency,
       {{"触电", "被电击", "电击伤", "被电到", "被电了", "电晕", "高压电", "被雷劈", "雷劈了", "被电打",
         "electric shock", "electrocut", "struck by lightning"}},
       "触电或雷击后即使看起来没事，也可能有心律失常和深部烧伤，请立即去急诊或拨打 120。",
       "After an electric shock or a lightning strike there can be heart-rhythm problems and deep burns even when "
       "the person looks well: go to the emergency department or call 120.",
       {"电击治疗"},
       "electric"},
      {"drowning",
       K::emergency,
       {{"溺水", "掉进水里", "掉水里", "掉进河里", "掉进池塘", "落水", "呛水", "淹", "捞上来", "救上来", "drown"}},
       "溺水后即使救上来也需要立即去医院观察，请拨打 120。",
       "After drowning or near-drowning, go to hospital now even if the person seems well: call 120.",
       {},
       "drown"},
      {"heat_stroke",
       K::emergency,
       {{"中暑", "热射病", "高温下", "heat stroke", "heatstroke"},
        {"说胡话", "晕", "昏", "体温4", "不出汗", "抽", "迷糊", "confused"}},
       "中暑伴意识改变或高热可能是热射病：移到阴凉处、降温，立即拨打 120。",
       "Heat illness with confusion or a very high temperature may be heat stroke: cool the person and call 120.",
       {},
       "heat"},
      {"venomous_bite",
       K::emergency,
       {{"毒蛇", "蛇咬", "被蛇", "snake bite", "bitten by a snake", "snakebite"}},
       "被蛇咬伤请保持不动、立即去医院或拨打 120。",
       "After a snake bite keep still and go to hospital now or call 120.",
       {},
       "bite"},
      // ---- severe pain and other level-2 presentations: cn2018 level 2; MTS severe pain
      {"severe_pain",
       K::emergency,
       {{"疼得打滚", "痛得打滚", "在床上打滚", "满地打滚", "肚子剧痛", "腹部剧痛", "剧烈腹痛", "肚子突然剧痛",
         "刀割一样", "像刀割", "后背剧痛", "剧痛难忍", "蛋蛋突然", "睾丸突然", "蛋蛋剧痛", "睾丸剧痛", "worst pain"}},
       "剧烈疼痛（疼得打滚、刀割样、撕裂样）需要立即去急诊。",
       "Severe pain (rolling in pain, knife-like or tearing pain) needs the emergency department now.",
       {},
       "cn2018.pain"},
      {"glucose_crisis",
       K::emergency,
       {{"血糖…测不出", "血糖…hi", "血糖高到", "低血糖晕", "低血糖昏"}},
       "血糖极高或低血糖昏迷需要立即急救。",
       "A blood sugar too high to measure, or a hypoglycaemic collapse, needs emergency care now.",
       {},
       "cn2018.glucose"},
  };
  return kRules;
}

const char* KindName(RedFlagKind k) {
  switch (k) {
    case RedFlagKind::emergency:
      return "emergency";
    case RedFlagKind::mental_health:
      return "mental_health";
  }
  return "emergency";
}

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool Contains(std::string_view s, std::string_view w) { return s.find(w) != std::string_view::npos; }

bool ContainsAny(std::string_view s, const Terms& words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return Contains(s, w); });
}

// Clause breaks: a negation, a past time or a question does not reach across them. '、' and '和'
// join a list and are not breaks.
constexpr std::string_view kBreaks[] = {"，", "。", "；", "！", "？", "：", ",", ".", ";", "!", "?", ":", "\n", "…"};

std::size_t ClauseStart(std::string_view t, std::size_t pos) {
  std::size_t start = 0;
  for (std::string_view b : kBreaks) {
    const std::size_t p = t.substr(0, pos).rfind(b);
    if (p != std::string_view::npos && p + b.size() > start) start = p + b.size();
  }
  return start;
}

std::size_t ClauseEnd(std::string_view t, std::size_t pos) {
  std::size_t end = t.size();
  for (std::string_view b : kBreaks) {
    const std::size_t p = t.find(b, pos);
    if (p != std::string_view::npos && p < end) end = p;
  }
  return end;
}

// "now" inside a clause keeps it current even when it also names the past ("去年中风过今天又嘴歪").
const Terms kNow = {"突然", "忽然", "突发",  "刚才", "刚刚",   "今天",   "今早",    "今晚",        "现在",
                    "正在", "此刻", "又",    "再次", "还在",   "小时前", "分钟",    "早上",        "昨晚",
                    "半夜", "now",  "today", "just", "sudden", "again",  "tonight", "minutes ago", "an hour ago"};

// The past: a clause about an old event ("三年前车祸后腰一直疼", "既往脑梗病史").
const Terms kPast = {"医生说", "去年",   "半月前",    "周前",       "星期前",  "前年",       "年前",   "多年", "几年",
                     "半年",   "个月前", "上个月",    "上周",       "上星期",  "以前",       "之前",   "曾经", "曾",
                     "小时候", "既往",   "病史",      "史",         "后遗症",  "术后",       "手术后", "康复", "疤",
                     "出生时", "ago",    "last year", "history of", "used to", "in the past"};

// A hypothetical or general question ("如果孩子高热惊厥了应该怎么处理", "怎么预防脑梗").
const Terms kHypothetical = {"如果",           "假如",       "万一",        "预防",     "怎么防",     "防止",
                             "前兆",           "有哪些",     "哪些表现",    "什么症状", "症状有哪些", "怎么判断",
                             "以后",           "将来",       "科普",        "志愿者",   "理赔",       "what are the",
                             "how to prevent", "signs of a", "symptoms of", "what if"};

// "有过" is the past, "有过敏" is not.
bool HasPast(std::string_view clause) {
  if (ContainsAny(clause, kPast)) return true;
  std::size_t p = 0;
  while ((p = clause.find("有过", p)) != std::string_view::npos) {
    // "有过敏" is not the past, and "从来没有过" is "never before".
    const bool never = p >= std::string_view("没").size() && EndsWith(clause.substr(0, p), "没");
    if (!clause.substr(p + std::string_view("有过").size()).starts_with("敏") && !never) return true;
    p += 1;
  }
  return false;
}

// Whether the clause [start, end) speaks of the past. Only the clause itself counts: carrying the
// past into the next clause was tried and dropped ("失眠半年，最近觉得活着没意思" must fire).
bool ClauseIsPast(std::string_view t, std::size_t start, std::size_t end) {
  const std::string_view clause = t.substr(start, end - start);
  if (ContainsAny(clause, kNow)) return false;
  return HasPast(clause);
}

constexpr std::string_view kNegators[] = {
    "没有", "没",   "无", "不",  "未",      "否认",   "并无",  "排除",       "除外",        "不是",   "并非",      "怕",
    "担心", "以为", "no", "not", "without", "denies", "never", "don't have", "do not have", "didn't", "no sign of"};

// Negators just before a term: "无胸痛", "没有明显的呼吸困难", "no chest pain"; and across a list:
// "无胸痛、气短", "没有发烧和抽搐".
bool Negated(std::string_view text, std::size_t pos, int depth = 0) {
  std::string_view before = text.substr(0, pos);
  for (int strip = 0; strip < 3; ++strip) {
    bool stripped = false;
    for (std::string_view filler : {"明显的", "明显", "任何", "什么", "出现", "感到", "觉得", "有", "的", "过", "想",
                                    "要", " ", "any ", "other "}) {
      if (EndsWith(before, filler) && !EndsWith(before, "没有")) {
        before.remove_suffix(filler.size());
        stripped = true;
        break;
      }
    }
    if (!stripped) break;
  }
  for (std::string_view neg : kNegators) {
    if (EndsWith(before, neg)) {
      const bool ascii = IsAsciiAlpha(neg[0]);
      if (!ascii) return true;
      const std::size_t at = before.size() - neg.size();
      if (at == 0 || !IsAsciiAlpha(before[at - 1])) return true;
    }
  }
  // A list: the term follows '、', '和', '或', '及', "也没有" after an earlier item; that item
  // (at most 6 characters) must itself follow a negator.
  if (depth < 3) {
    for (std::string_view sep : {"、", "和", "或", "及", "/", " or "}) {
      if (!EndsWith(before, sep)) continue;
      std::string_view item = before.substr(0, before.size() - sep.size());
      // Walk back over up to 6 code points that are not breaks.
      std::size_t cut = item.size();
      for (int n = 0; n < 6 && cut > 0; ++n) {
        std::size_t c = cut - 1;
        while (c > 0 && (static_cast<unsigned char>(item[c]) & 0xC0) == 0x80) --c;
        const std::string_view cp = item.substr(c, cut - c);
        bool is_break = false;
        for (std::string_view b : kBreaks) is_break = is_break || cp == b;
        if (is_break) break;
        cut = c;
        if (Negated(text, cut, depth + 1)) return true;
      }
    }
  }
  return false;
}

// Where `term` occurs at or after `from` (parts joined by "…" in order, each gap at most 8
// characters and within one clause); returns the start and end of the whole match.
std::optional<std::pair<std::size_t, std::size_t>> FindAt(std::string_view text, std::string_view term,
                                                          std::size_t from) {
  constexpr std::string_view kGap = "…";
  const std::size_t g = term.find(kGap);
  if (g == std::string_view::npos) {
    const std::size_t p = text.find(term, from);
    if (p == std::string_view::npos) return std::nullopt;
    return std::make_pair(p, p + term.size());
  }
  const std::string_view first = term.substr(0, g);
  std::size_t p = from;
  while ((p = text.find(first, p)) != std::string_view::npos) {
    std::size_t end = p + first.size();
    std::string_view rest = term.substr(g + kGap.size());
    bool ok = true;
    while (!rest.empty()) {
      const std::size_t ng = rest.find(kGap);
      const std::string_view part = rest.substr(0, ng);
      const std::size_t clause_end = ClauseEnd(text, end);
      const std::size_t limit = std::min(clause_end, end + 8 * 3 + part.size());
      const std::size_t q = text.substr(0, limit).find(part, end);
      if (q == std::string_view::npos) {
        ok = false;
        break;
      }
      end = q + part.size();
      rest = ng == std::string_view::npos ? std::string_view{} : rest.substr(ng + kGap.size());
    }
    if (ok) return std::make_pair(p, end);
    p += first.size();
  }
  return std::nullopt;
}

// "中风过", "抽搐过一次": the term names a past event ("过量", "过敏", "过去" are other words).
bool FollowedByPast(std::string_view text, std::size_t end) {
  const std::string_view rest = text.substr(end);
  if (!rest.starts_with("过")) return false;
  const std::string_view after = rest.substr(std::string_view("过").size());
  for (std::string_view w : {"量", "敏", "去", "来", "度", "多", "于", "快", "慢", "劳"})
    if (after.starts_with(w)) return false;
  return true;
}

// A term present in `text` and counting: not negated, not inside one of `not_inside`, not in a
// clause about the past or a hypothetical one.
std::optional<std::string_view> FindTerm(std::string_view text, const Terms& terms, const Terms& not_inside) {
  for (std::string_view term : terms) {
    std::size_t from = 0;
    while (auto m = FindAt(text, term, from)) {
      const auto [pos, end] = *m;
      bool excluded = Negated(text, pos) || FollowedByPast(text, end);
      for (std::string_view phrase : not_inside) {
        // The match lies inside an occurrence of `phrase` when the phrase starts at most
        // phrase.size() bytes before it and contains the match's first part at that offset.
        const std::string_view head = term.substr(0, term.find("…"));
        const std::size_t off = phrase.find(head);
        if (off != std::string_view::npos && pos >= off && text.substr(pos - off, phrase.size()) == phrase)
          excluded = true;
      }
      if (!excluded) {
        const std::size_t cs = ClauseStart(text, pos), ce = ClauseEnd(text, end);
        const std::string_view clause = text.substr(cs, ce - cs);
        if (ContainsAny(clause, kHypothetical) || ClauseIsPast(text, cs, ce)) excluded = true;
      }
      if (!excluded) return term;
      from = pos + 1;
      while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
    }
  }
  return std::nullopt;
}

// Age in days from "出生20天", "20天大", "两个月", "2个月大", "newborn", "6 weeks old"; nullopt
// when the text names no age that young (or none at all).
std::optional<int> InfantAgeDays(std::string_view t) {
  if (Contains(t, "新生儿") || Contains(t, "newborn")) return 7;
  if (Contains(t, "满月")) return 30;
  auto number_before = [&](std::size_t pos) -> std::optional<int> {
    std::size_t b = pos;
    while (b > 0 && t[b - 1] >= '0' && t[b - 1] <= '9') --b;
    if (b < pos) return std::atoi(std::string(t.substr(b, pos - b)).c_str());
    static const std::pair<std::string_view, int> kNums[] = {{"一", 1}, {"两", 2}, {"二", 2}, {"三", 3},
                                                             {"四", 4}, {"五", 5}, {"六", 6}, {"十", 10}};
    for (const auto& [w, n] : kNums)
      if (EndsWith(t.substr(0, pos), w)) return n;
    return std::nullopt;
  };
  std::optional<int> best;
  auto consider = [&](std::string_view unit, int days_per_unit, bool skip_space) {
    std::size_t pos = 0;
    while ((pos = t.find(unit, pos)) != std::string_view::npos) {
      std::size_t p = pos;
      if (skip_space && p > 0 && t[p - 1] == ' ') --p;
      // "3个月前" is a time, not an age; "1岁2个月" is over a year; "最近二个月" is a duration: a
      // month count is an age only right after a child word or before 大 / 的 / 宝宝 / 婴儿 / a comma.
      const std::string_view after = t.substr(pos + unit.size());
      bool ago = after.starts_with("前");
      if (unit == "个月") {
        std::size_t b = p;
        while (b > 0 && t[b - 1] >= '0' && t[b - 1] <= '9') --b;
        if (b == p && b >= 3) b -= 3;  // one Chinese numeral
        const std::string_view head = t.substr(0, b);
        const bool child_before = EndsWith(head, "宝宝") || EndsWith(head, "孩子") || EndsWith(head, "婴儿") ||
                                  EndsWith(head, "男,") || EndsWith(head, "女,") || EndsWith(head, "男，") ||
                                  EndsWith(head, "女，") || EndsWith(head, "才") || EndsWith(head, "出生");
        const bool age_after = after.starts_with("大") || after.starts_with("的") || after.starts_with("宝宝") ||
                               after.starts_with("婴儿") || after.starts_with("，") || after.starts_with(",") ||
                               after.empty();
        if (EndsWith(head, "岁") || !(child_before || age_after)) ago = true;
      }
      if (unit == "天大" && (after.starts_with("便") || after.starts_with("概"))) ago = true;
      if (auto n = number_before(p); n && *n > 0 && !ago) {
        const int days = *n * days_per_unit;
        if (!best || days < *best) best = days;
      }
      pos += unit.size();
    }
  };
  consider("个月", 30, false);
  consider("天大", 1, false);
  consider("天的宝宝", 1, false);
  consider("天的孩子", 1, false);
  consider("周大", 7, false);
  consider("week", 7, true);
  consider("-week", 7, false);
  consider("day-old", 1, false);
  consider("days old", 1, true);
  consider("month-old", 30, false);
  consider("months old", 30, true);
  if (auto p = t.find("出生"); p != std::string_view::npos) {
    std::size_t q = p + std::string_view("出生").size();
    std::size_t e = q;
    while (e < t.size() && t[e] >= '0' && t[e] <= '9') ++e;
    if (e > q && t.substr(e).starts_with("天")) {
      const int days = std::atoi(std::string(t.substr(q, e - q)).c_str());
      if (!best || days < *best) best = days;
    }
  }
  return best;
}

// The highest temperature in °C named in the text ("38.5度", "39℃", "38.5°c"), if any.
std::optional<double> Temperature(std::string_view t) {
  std::optional<double> best;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!(t[i] >= '0' && t[i] <= '9') || (i > 0 && ((t[i - 1] >= '0' && t[i - 1] <= '9') || t[i - 1] == '.'))) continue;
    std::size_t e = i;
    while (e < t.size() && ((t[e] >= '0' && t[e] <= '9') || t[e] == '.')) ++e;
    const double v = std::atof(std::string(t.substr(i, e - i)).c_str());
    if (v >= 35 && v <= 43) {
      std::string_view rest = t.substr(e);
      if (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
      if (rest.starts_with("度") || rest.starts_with("℃") || rest.starts_with("°") || rest.starts_with("c") ||
          rest.starts_with("摄氏")) {
        if (!best || v > *best) best = v;
      }
    }
    i = e;
  }
  return best;
}

// The first number (digits) within `window` bytes after one of `labels`, e.g. "血氧只有85".
std::optional<std::pair<int, std::string_view>> NumberAfter(std::string_view t, const Terms& labels,
                                                            std::size_t window) {
  for (std::string_view label : labels) {
    std::size_t p = 0;
    while ((p = t.find(label, p)) != std::string_view::npos) {
      const std::size_t from = p + label.size();
      const std::size_t stop = std::min(t.size(), from + window);
      for (std::size_t i = from; i < stop; ++i) {
        if (t[i] >= '0' && t[i] <= '9') {
          std::size_t e = i;
          while (e < t.size() && t[e] >= '0' && t[e] <= '9') ++e;
          // "27岁", "36周", "5cm" are not the measurement.
          const std::string_view unit = t.substr(e);
          bool other = false;
          for (std::string_view u : {"岁", "周", "天", "年", "月", "号", "日", "cm", "kg", "斤", "mm", "次/天"})
            other = other || unit.starts_with(u);
          if (other) break;
          if (e - i <= 3 && (e >= t.size() || t[e] != '.'))
            return std::make_pair(std::atoi(std::string(t.substr(i, e - i)).c_str()), label);
          break;
        }
      }
      p = from;
    }
  }
  return std::nullopt;
}

RedFlagHit Hit(std::string_view id, std::string_view zh, std::string_view en, std::vector<std::string> matched) {
  return RedFlagHit{id, RedFlagKind::emergency, zh, en, std::move(matched)};
}

// Measured values from cn2018 level 1-2: SpO2 under 90 %, a systolic pressure of 200 or more or a
// diastolic of 120 or more, a heart rate over 150 or under 40. Returned as hits of their own.
void CheckVitals(std::string_view t, std::vector<RedFlagHit>& hits) {
  // A fetal heart rate is not the patient's; a recurring episode ("有时心跳160") needs a word saying now.
  if (Contains(t, "胎心")) return;
  if (ContainsAny(t, kChronic) && !ContainsAny(t, kOnset) && !ContainsAny(t, {"又", "正在", "还在", "这次", "此刻"}))
    return;
  if (auto v = NumberAfter(t, {"血氧", "氧饱和度", "spo2", "oxygen saturation", "oxygen level"}, 12);
      v && v->first >= 50 && v->first < 90) {
    const std::size_t p = t.find(v->second);
    if (!ClauseIsPast(t, ClauseStart(t, p), ClauseEnd(t, p)))
      hits.push_back(Hit("low_oxygen", "血氧饱和度低于 90% 需要立即急救。",
                         "An oxygen saturation under 90% needs emergency care now.",
                         {std::string(v->second), std::to_string(v->first)}));
  }
  if (auto v = NumberAfter(t, {"血压", "bp", "blood pressure"}, 12); v) {
    const std::size_t p = t.find(v->second);
    const std::size_t num = t.find(std::to_string(v->first), p);
    int diastolic = 0;
    if (num != std::string_view::npos) {
      std::size_t s = num + std::to_string(v->first).size();
      if (s < t.size() && t[s] == '/') diastolic = std::atoi(std::string(t.substr(s + 1, 3)).c_str());
    }
    if ((v->first >= 200 && v->first < 300) || diastolic >= 120) {
      if (!ClauseIsPast(t, ClauseStart(t, p), ClauseEnd(t, p)))
        hits.push_back(Hit("very_high_blood_pressure", "血压极高（收缩压 ≥200 或舒张压 ≥120）需要立即急诊。",
                           "A very high blood pressure (200 systolic or 120 diastolic or more) needs the emergency "
                           "department now.",
                           {std::string(v->second), std::to_string(v->first)}));
    }
  }
  if (auto v = NumberAfter(t, {"心跳", "心率", "脉搏", "heart rate", "pulse"}, 12);
      v && ((v->first > 150 && v->first < 300) || (v->first > 0 && v->first < 40))) {
    const std::size_t p = t.find(v->second);
    if (!ClauseIsPast(t, ClauseStart(t, p), ClauseEnd(t, p)))
      hits.push_back(Hit("extreme_heart_rate", "心率过快（>150 次/分）或过慢（<40 次/分）需要立即急诊。",
                         "A heart rate over 150 or under 40 a minute needs the emergency department now.",
                         {std::string(v->second), std::to_string(v->first)}));
  }
}

const RedFlagRule& InfantFeverRule() {
  static const RedFlagRule kRule{
      "infant_fever",
      K::emergency,
      {{"发烧", "发热", "高烧", "烧到", "体温", "fever", "temperature"}},
      "3 个月以下的婴儿发烧（38℃及以上）需要立即就医。",
      "A baby under 3 months old with a fever (38 °C or more) needs to see a doctor urgently.",
      {"体温正常", "体温不高"},
      "nice.infant"};
  return kRule;
}

// Typing slips and homophones seen in patients' messages, after traditional -> simplified.
constexpr std::pair<std::string_view, std::string_view> kTypos[] = {
    {"抽蓄", "抽搐"},   {"抽畜", "抽搐"},     {"抽触", "抽搐"},     {"昏谜", "昏迷"},   {"昏米", "昏迷"},
    {"晕阙", "晕厥"},   {"晕蹶", "晕厥"},     {"惊阙", "惊厥"},     {"胸通", "胸痛"},   {"冷汉", "冷汗"},
    {"中凤", "中风"},   {"脑梗赛", "脑梗塞"}, {"农要", "农药"},     {"困男", "困难"},   {"窒熄", "窒息"},
    {"自刹", "自杀"},   {"过民", "过敏"},     {"羊癫风", "羊癫疯"}, {"can’t", "can't"}, {"won’t", "won't"},
    {"don’t", "don't"}, {"i’m", "i'm"},       {"it’s", "it's"}};

// OpenCC's traditional -> simplified converter, opened once; null when its data files are missing.
opencc_t OpenConverter() {
  std::vector<std::string> candidates;
  if (const char* dir = std::getenv("IHOS_OPENCC_DIR"); dir && *dir)
    candidates.push_back(std::string(dir) + "/t2s.json");
  candidates.push_back("t2s.json");  // OpenCC's own data directory (its build's PKGDATADIR)
  for (const char* dir : {"/usr/share/opencc", "/usr/local/share/opencc", "/opt/homebrew/share/opencc",
                          "/usr/lib/x86_64-linux-gnu/opencc", "/usr/lib/aarch64-linux-gnu/opencc"})
    candidates.push_back(std::string(dir) + "/t2s.json");
  for (const auto& path : candidates) {
    opencc_t od = opencc_open(path.c_str());
    if (od != reinterpret_cast<opencc_t>(-1)) return od;
  }
  std::fprintf(stderr,
               "{\"level\":\"warn\",\"msg\":\"triage: OpenCC t2s.json not found; traditional Chinese is not "
               "folded for the red flags (install opencc data or set IHOS_OPENCC_DIR)\"}\n");
  return nullptr;
}

opencc_t Converter() {
  static const opencc_t kConverter = OpenConverter();
  return kConverter;
}

}  // namespace

bool TraditionalChineseFolding() { return Converter() != nullptr; }

std::string NormalizeForRules(std::string_view raw) {
  std::string text = Normalize(raw);
  // Traditional -> simplified (only when there is something beyond ASCII).
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    if (opencc_t od = Converter()) {
      // The converter is immutable after opening; conversion allocates its own buffers.
      if (char* out = opencc_convert_utf8(od, text.data(), text.size())) {
        text.assign(out);
        opencc_convert_utf8_free(out);
      }
    }
  }
  // Spaces next to a non-ASCII character go: "呼 吸 困 难", "grandma 突然".
  std::string compact;
  compact.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ') {
      const bool prev_wide = i > 0 && static_cast<unsigned char>(text[i - 1]) >= 0x80;
      const bool next_wide = i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80;
      if (prev_wide || next_wide) continue;
    }
    compact += text[i];
  }
  for (const auto& [from, to] : kTypos) {
    std::size_t p = 0;
    while ((p = compact.find(from, p)) != std::string::npos) {
      compact.replace(p, from.size(), to);
      p += to.size();
    }
  }
  return compact;
}

std::vector<RedFlagHit> CheckRedFlags(std::string_view raw) {
  const std::string text = NormalizeForRules(raw);
  std::vector<RedFlagHit> hits;
  // A word saying "now" for needs_onset_if: the onset words, or 又 / 正在 / 还在 / 这次 ("又抽了").
  const bool has_onset = ContainsAny(text, kOnset) || ContainsAny(text, {"又", "正在", "还在", "这次", "此刻"});
  for (const auto& rule : RedFlagRules()) {
    if (!rule.needs_onset_if.empty() && !has_onset && ContainsAny(text, rule.needs_onset_if)) continue;
    RedFlagHit hit{rule.id, rule.kind, rule.reason_zh, rule.reason_en, {}};
    bool all = true;
    for (const auto& group : rule.all_of) {
      auto term = FindTerm(text, group, rule.not_inside);
      if (!term) {
        all = false;
        break;
      }
      hit.matched.emplace_back(*term);
    }
    if (all && std::none_of(hits.begin(), hits.end(), [&](const RedFlagHit& h) { return h.rule_id == rule.id; }))
      hits.push_back(std::move(hit));
  }
  // Infant fever (NICE NG143: any fever of 38 °C or more under 3 months is high risk): an age
  // under 90 days, a fever word, and either no temperature or one of 38 °C or more.
  const auto& infant = InfantFeverRule();
  if (auto age = InfantAgeDays(text); age && *age < 90) {
    if (auto term = FindTerm(text, infant.all_of[0], {}); term) {
      const auto temp = Temperature(text);
      if (!temp || *temp >= 38.0)
        hits.push_back(RedFlagHit{infant.id,
                                  infant.kind,
                                  infant.reason_zh,
                                  infant.reason_en,
                                  {std::to_string(*age) + " days", std::string(*term)}});
    }
  }
  CheckVitals(text, hits);
  return hits;
}

}  // namespace ihos::domain::triage
