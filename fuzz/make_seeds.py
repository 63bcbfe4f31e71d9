#!/usr/bin/env python3
"""Writes the generated seeds of fuzz/corpus/shc and fuzz/corpus/csv_import (made-up content, no
shared data copied). The other targets' seeds are small hand-written files. Run from fuzz/."""
import base64, json, os, random, zlib

random.seed(17)
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
def deflate(b):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(b) + c.flush()

def payload(colour="green", test=True):
    obs = {"resourceType": "Observation", "status": "final",
           "code": {"coding": [{"system": "urn:ihos:health-code", "code": "health-code"}]},
           "subject": {"reference": "resource:0"}, "effectiveDateTime": "2026-12-03",
           "valueCodeableConcept": {"coding": [{"system": "urn:ihos:health-code-colour", "code": colour}]}}
    if test:
        obs["component"] = [{"code": {"coding": [{"system": "http://loinc.org", "code": "94500-6"}]},
                             "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "260385009"}]},
                             "extension": [{"url": "urn:ihos:sampled-at", "valueInteger": 1796200000}]}]
    pat = {"resourceType": "Patient", "identifier": [{"system": "urn:ihos:resident-id-masked", "value": "1101**********002X"}],
           "name": [{"text": "张*"}], "birthDate": "1949-12-31"}
    vc = {"type": ["https://smarthealth.cards#health-card"],
          "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": {"resourceType": "Bundle", "type": "collection",
                                "entry": [{"fullUrl": "resource:0", "resource": pat}, {"fullUrl": "resource:1", "resource": obs}]}},
          "rid": "AAECAwQFBgc"}
    return json.dumps({"iss": "https://ihos.example/hc", "nbf": 1796270400, "exp": 1796272200, "vc": vc},
                      separators=(",", ":"), ensure_ascii=False).encode()

def jws(p):
    h = b64(json.dumps({"alg": "ES256", "zip": "DEF", "kid": "demo-kid-1"}, separators=(",", ":")).encode())
    return h + "." + b64(deflate(p)) + "." + b64(bytes(random.getrandbits(8) for _ in range(64)))

def qr(j):
    return "shc:/" + "".join("%02d" % (ord(c) - 45) for c in j)

def w(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

os.makedirs("corpus/shc", exist_ok=True)
card = jws(payload())
w("corpus/shc/qr_green", b"\x00" + qr(card).encode())
w("corpus/shc/qr_yellow_no_test", b"\x00" + qr(jws(payload("yellow", False))).encode())
w("corpus/shc/jws", b"\x01" + card.encode())
w("corpus/shc/payload", b"\x02" + payload())
w("corpus/shc/payload_wrong_iss", b"\x02" + payload().replace(b"ihos.example", b"evil.example"))
w("corpus/shc/b64_deflate", b"\x03" + b64(deflate(b"hello hello hello")).encode())
w("corpus/shc/jwk", b"\x01" + (b64(b'{"alg":"ES256","zip":"DEF","kid":"k"}') + "." + b64(deflate(
    b'{"kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}'))
    + "." + b64(bytes(64))).encode())

os.makedirs("corpus/csv_import", exist_ok=True)
w("corpus/csv_import/csv_quoted", b"\x00" + 'a,"b,c","d ""e"""\r\n"multi\nline",x\n,,\n'.encode())
w("corpus/csv_import/lab", b"\x01\xef\xbb\xbf" + ("id_number,sample_id,result,sampled_at\r\n"
  "11010519491231002X,S-001,negative,2026-12-01T08:30\r\n"
  "11010519491231002X,S-002,positive,1796100000000\r\n\r\n"
  "110105194912310021,S-001,maybe,2026-13-01 08:30\n"
  "a,b,c\n").encode())
w("corpus/csv_import/icd10", b"\x02" + ("code,name,level,category_3char,has_dagger_asterisk\n"
  "E11,2型糖尿病,category_3char,E11,0\n"
  "E11.9,2型糖尿病不伴有并发症,subcategory_4char,E11,0\n"
  "\"A01.003+G01*\",\"伤寒性脑膜炎\",extension,A01,1\n"
  "M800000/3,恶性肿瘤,morphology_icdo,,0\n").encode())
w("corpus/csv_import/controlled", b"\x03" + ("name_zh,name_en,category,list,list_item_note,in_nrdl,confidence,note\n"
  "吗啡,morphine,narcotic,麻醉药品品种目录（2013年版）,,吗啡|盐酸吗啡,high,\n").encode())
w("corpus/csv_import/nrdl", b"\x04" + ("nhsa_id,name,section,reimbursement_class,dosage_form,category_path,category_l1,category_l2,drug_type_id,category_id,kind\n"
  "1001,吗啡,西药,甲,注射剂,神经系统药物/镇痛药/阿片类,神经系统药物,镇痛药,1,2,western\n"
  "1002,\"曲马多\n曲马多Ⅱ\",西药,乙,口服常释剂型,神经系统药物/镇痛药,神经系统药物,镇痛药,1,2,western\n"
  "x,阿莫西林,西药,甲,胶囊,抗感染药物/青霉素类,抗感染药物,青霉素类,1,3,western\n").encode())
w("corpus/csv_import/pinyin", b"\x05" + ('var pinyinDict = map[int]string{\n\t0x5E03: "bù",\n\t0x963F: "ā,ē",\n\t0xZZ: "x",\n}\n').encode())
w("corpus/csv_import/pairs", b"\x05" + ("drug1_name,drug1_drugbank_id,drug2_name,drug2_drugbank_id\n"
  "Warfarin,DB00682,Aspirin,DB00945\n").encode())
