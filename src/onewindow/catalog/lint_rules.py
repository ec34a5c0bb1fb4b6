"""The rules of the guide lint (R-CAT-6), as data.

Pure: no Django. Read by ``onewindow.catalog.guidelint``; listed in docs/guide-lint.md.

Every pattern is matched against the *normalized* text (see ``guidelint.normalize``):
NFKC (full-width letters, digits and punctuation become half-width: "，" → ",",
"：" → ":", "（" → "("), whitespace removed, line breaks kept as "\\n", "其它" → "其他",
"⋯" → "…", and a small table of traditional characters folded to simplified ones.
So a pattern is written once, in simplified characters and half-width punctuation.

An exception cancels a hit when one of its matches starts at most
``EXCEPTION_LOOKBEHIND`` characters before the hit (or inside it) and reaches into the
hit. Exceptions therefore spell out the hit together with its surroundings, e.g.
``相关材料`` followed by ``:`` and a list.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"  # a vague or catch-all clause: publication is refused
WARNING = "warning"  # a matter of style: shown, does not block publication

EXCEPTION_LOOKBEHIND = 40


@dataclass(frozen=True)
class Rule:
    code: str  # stable, e.g. "catch_all.other_materials"
    pattern: str  # regex on the normalized text; the whole match is the clause
    message: str  # Chinese; "{clause}" is replaced by the clause as written
    exceptions: tuple[str, ...] = ()  # regexes that cancel a hit they overlap
    field_kinds: frozenset[str] | None = None  # None: every kind of field
    skip_kinds: frozenset[str] = frozenset()  # kinds of field where it never applies
    severity: str = ERROR


# --- building blocks -----------------------------------------------------------------

# Where a clause ends (after normalization full-width punctuation is half-width).
END = r"(?=$|[。;,、:)!?\n])"
# No clause boundary: the characters a window inside one clause may span.
IN_CLAUSE = r"[^。;,!?\n]"
IN_SENTENCE = r"[^。;!?\n]"

OTHER = r"(?<!尤)(?:其他|其余)"

# Words that may stand between a vague head (其他, 相关, 等) and the noun it qualifies.
FILLER = (
    r"(?:的|相关|有关|必要|必需|必须|所需|需要|需|应当|应|须|提供|提交|出具|补充|补交|"
    r"证明|佐证|支撑|辅助|有效|合法|身份|申请|申报|书面|相应|规定|要求|法定|原始|"
    r"可以|能够|足以|其他|具体)"
)
# Nouns for documents; longer forms first so that the clause takes the whole word.
DOC = (
    r"(?:证明材料|证明文件|证明资料|申请材料|申报材料|佐证材料|身份证件|身份证明|"
    r"材料|资料|证明|证件|证照|证书|文件|手续|凭证|票据|单据|附件|文书|复印件|表格|表单)"
)
CONDITION = r"(?:条件|情形|情况|要求|事项|事由|标准|规定)"

# The thing is named right after the clause: a colon and a list, or a parenthesis.
NAMED_AFTER = r"(?:如下|包括|包含|具体为|具体包括|即|指)?(?::[^\n。;]|\([^)]{2,}\))"

# A negation or a complement before 其他 states a closed set ("不得要求申请人提交其他材料",
# "除上述情形外的其他情形", "办事指南以外的其他材料").
NOT_OTHER = (
    rf"(?:无需|无须|不需要|不需|不必|不用|不得|不再|不另|不予|严禁|禁止|免于|免予)"
    rf"{IN_CLAUSE}{{0,20}}?{OTHER}",
    rf"(?:无|并无|别无|再无|均无|没有)(?:任何)?{OTHER}",
    rf"除{IN_SENTENCE}{{0,30}}?(?:外|以外|之外){IN_CLAUSE}{{0,6}}?{OTHER}",
    rf"(?:以外|之外)的?{OTHER}",
)

# Names that only look like a catch-all: matter kinds and service windows.
PROPER_OTHER = (
    r"其他(?:事务)?代办",
    r"其他(?:行政)?权力(?:事项)?",
    r"其他事务窗口",
)

# Verbs by which a clause puts a demand on the applicant.
DEMAND = r"(?:提供|提交|补充|补正|补交|出具|携带|另附|附上|附送|到场|递交|上传)"

# Subjects of a rule that is not named: "法律法规规定的", "有关部门要求的".
SUBJECT = (
    r"(?:法律法规|法律|行政法规|地方性法规|法规|规章|规范性文件|政策|国家|上级|"
    r"有关部门|相关部门|主管部门|审批部门|受理部门|行政机关|审批机关|发证机关|有关机关|部门|机关)"
)
SUBJECTS = rf"{SUBJECT}(?:[、和及与或]?{SUBJECT})*"

# A named regulation next to the reference: "《食品经营许可管理办法》第十二条有关规定",
# "本办法相关规定", "有关规定(《……》第五条)".
NAMED_REGULATION_BEFORE = (
    rf"》{IN_CLAUSE}{{0,12}}?(?:的)?(?:有关|相关|相应)",
    r"(?:本|该|上述|前述|以上|前款|本款)(?:法|条例|办法|规定|细则|规则|决定|通知|意见|条|款|项)"
    r"(?:的|第[^,。;]{1,8}?[条款项]的?)?(?:有关|相关|相应)",
)


def _after(head: str) -> str:
    """``head`` followed by what names it (a colon and a list, or a parenthesis)."""
    return head + NAMED_AFTER


# --- the rules -------------------------------------------------------------------------

RELATED_HEAD = r"(?:相关|有关|相应)"
RELATED_DOC = rf"{RELATED_HEAD}(?:{FILLER}){{0,3}}?{DOC}"
ETC_HEAD = r"(?<![平同对相均高中初上头优特次劣何超不一二三四五六七八九十甲乙丙丁])等"
REGULATION_REF = (
    r"(?:国家|上级|省|市|县)?(?:有关|相关|相应)的?"
    r"(?:法律法规|法律、法规|法律|行政法规|法规|规章|政策规定|政策|规定|规范|标准|要求|程序|制度|文件精神)"
)

RULES: tuple[Rule, ...] = (
    Rule(
        code="catch_all.required_other",
        pattern=(
            rf"(?:(?:有关|相关)?{SUBJECTS}(?:的)?(?:有关|相关)?)?"
            r"(?:(?:按|依|按照|依照|根据)?(?:规定|要求)|认为(?:需要|必要|有必要)|需要|确定)"
            r"(?:应当|应|需|需要|必须)?(?:提供|提交|出具|补充|补交|具备|满足|符合)?的"
            rf"{OTHER}(?:(?:{FILLER}){{0,3}}?(?:{DOC}|{CONDITION}))?"
        ),
        message="“{clause}”属于兜底条款，请写明所依据的法律法规名称和条款，并逐项列明具体的材料或条件。",
        exceptions=NOT_OTHER + PROPER_OTHER,
    ),
    Rule(
        code="catch_all.other_materials",
        pattern=rf"{OTHER}(?:{FILLER}){{0,4}}?{DOC}",
        message="“{clause}”属于兜底条款，请逐项列明所需材料的名称。",
        exceptions=NOT_OTHER + PROPER_OTHER,
    ),
    Rule(
        code="catch_all.other_conditions",
        pattern=rf"{OTHER}的?(?:相关|有关|必要|特殊|具体|法定|规定)?的?{CONDITION}",
        message="“{clause}”属于兜底条款，请逐项写明具体的条件或情形。",
        exceptions=NOT_OTHER + PROPER_OTHER,
    ),
    Rule(
        code="catch_all.other_item",
        # A field, or a numbered line of it, that is just "其他", maybe with a gloss:
        # "其他", "5.其他：", "其他（申请人认为需要提交的材料）".
        pattern=(
            r"(?:^|(?<=\n))(?:[0-9一二三四五六七八九十]+[.、)]?|\([0-9一二三四五六七八九十]+\))?"
            rf"{OTHER}(?::|\([^)\n]*\))?(?=$|\n)"
        ),
        message="“{clause}”不是一项明确的材料或条件，请写明具体名称，或删去该项。",
    ),
    Rule(
        code="catch_all.related_materials",
        pattern=RELATED_DOC,
        message="“{clause}”没有说明是哪些材料，请写明每一项材料的名称。",
        exceptions=(_after(RELATED_DOC),),
    ),
    Rule(
        code="catch_all.etc_materials",
        pattern=rf"{ETC_HEAD}(?:等)?(?:{FILLER}){{0,3}}?{DOC}",
        message="“{clause}”使材料清单不封闭，请删去“等”，逐项列明全部材料。",
    ),
    Rule(
        code="catch_all.open_list",
        # "……", "等等", or a list that ends in "等".
        pattern=rf"等等|等?(?:…+|\.{{3,}})|{ETC_HEAD}(?={END})",
        message="“{clause}”使列举不封闭，请完整列出全部项目。",
        exceptions=(
            r"(?:请|稍|耐心|排队|原地|继续|需|须|要|再|先)等",
            r"在[\u4e00-\u9fff]{1,6}(?:窗口|大厅|处|区|室|外|旁|内)等",
        ),
    ),
    Rule(
        code="catch_all.and_other",
        pattern=(
            rf"(?:以及|及其|及|和|或者|或|与|并|等){OTHER}的?(?:等)?{END}"
            rf"|以及{IN_CLAUSE}{{0,12}}?{OTHER}"
        ),
        message="“{clause}”属于兜底表述，请完整列出全部项目。",
        exceptions=NOT_OTHER + PROPER_OTHER,
    ),
    Rule(
        code="catch_all.if_other",
        pattern=rf"(?:如果|倘若|如|若)(?:还|另)?(?:有|需要|需){OTHER}",
        message="“{clause}”属于兜底表述，请写明具体是什么情形、需要什么。",
        exceptions=(
            # Courtesy in answers: "如有其他问题，请拨打12345".
            rf"{OTHER}的?(?:问题|疑问|疑义|不明|不清楚|意见|建议|咨询|诉求|需要|需求)",
        )
        + NOT_OTHER
        + PROPER_OTHER,
    ),
    Rule(
        code="vague.unnamed_regulation",
        pattern=(
            rf"(?:按照|依照|按|依|根据|遵照|符合)?{REGULATION_REF}"
            r"(?:提供|提交|办理|执行|收取|收费|出具|处理|确定|予以)?"
            r"|(?:按|依|按照|依照|根据|遵照)(?:国家)?规定(?:提供|提交|办理|执行|收取|收费|出具|处理|确定|予以)?"
            r"|(?:按|按照|根据)要求(?:提供|提交|出具|补充|补交)"
            r"|(?:法律法规|法律|法规|国家|上级)?另有规定(?:的)?(?:除外|从其规定)?"
            r"|(?:法律法规|法律|法规|国家)规定的(?:条件|材料|情形|程序|标准)"
        ),
        message="“{clause}”没有指明具体依据，请写明法律法规或文件的名称及条款（如“按《××办法》第×条规定”）。",
        exceptions=NAMED_REGULATION_BEFORE + (REGULATION_REF + r"(?::|\()?《",),
    ),
    Rule(
        code="vague.unnamed_department",
        pattern=r"(?:有关|相关)的?(?:部门|单位|机构|机关)",
        message="“{clause}”没有指明是哪个部门，请写明部门或单位的名称。",
        exceptions=(_after(r"(?:有关|相关)的?(?:部门|单位|机构|机关)"),),
    ),
    Rule(
        code="vague.case_by_case",
        pattern=(
            r"视(?:具体|实际|个人|申请人|不同)?(?:情况|情形|需要)(?:而定|确定|决定)?"
            + DEMAND
            + r"?"
            r"|(?:根据|依据|按照|结合)(?:具体|实际|个人|现场)?(?:情况|情形|需要)(?:而定|确定|决定)?"
            + DEMAND
            + r"?"
            r"|具体情况具体(?:分析|处理|确定)|按需" + DEMAND + r"?|因人而异|因事而异|一事一议"
        ),
        message="“{clause}”属于模糊条款，请写明在什么情况下需要什么。",
        exceptions=(
            # The applicant's own choice: "可根据需要选择邮寄或自取".
            r"(?:可|可以|自行)(?:根据|视)(?:自身|个人|实际)?需要",
        ),
    ),
    Rule(
        code="vague.when_necessary",
        pattern=(
            r"(?:必要时|必要的时候|必要情况下|如有必要|确有必要(?:时|的)?|如确有需要|确有需要(?:时|的)?|需要时)"
            rf",?{IN_SENTENCE}{{0,16}}?{DEMAND}"
        ),
        message="“{clause}”属于模糊条款，请写明在什么情况下需要提供什么（如“委托他人办理的，提供授权委托书”）。",
    ),
    Rule(
        code="vague.may_need",
        pattern=r"(?:可能|或许|也许|或将)(?:还)?(?:需要|需|要求)" + DEMAND + r"?",
        message="“{clause}”属于模糊条款，请写明是否需要，以及在什么情况下需要。",
    ),
    Rule(
        code="vague.to_be_notified",
        pattern=(
            r"另行(?:通知|告知|确定|规定|公布|明确|补充|要求|提供|安排|商定)"
            r"|(?:届时|到时)(?:另行)?(?:通知|告知)|待定"
        ),
        message="“{clause}”属于模糊条款，办事要求应在办事指南中一次写明，不得另行附加。",
        exceptions=(
            # How a result is delivered: "审批结果以短信方式另行通知".
            rf"(?:短信|电话|书面|邮件|邮寄|网站|系统|站内信|微信|APP|app){IN_CLAUSE}{{0,6}}?另行(?:通知|告知)",
        ),
    ),
    Rule(
        code="vague.discretion",
        pattern=r"酌情|酌定|酌减|酌收|斟酌",
        message="“{clause}”属于模糊条款，请写明适用的具体标准。",
    ),
    Rule(
        code="vague.in_principle",
        pattern=r"原则上",
        message="“{clause}”属于模糊条款，请写明确定的规则；确有例外的，逐项写明例外情形。",
    ),
    Rule(
        code="vague.unspecified_quantity",
        pattern=r"若干|一定数量|适当数量|适量|数份",
        message="“{clause}”数量不明确，请写明具体的份数或数量。",
        exceptions=(r"若干(?:规定|意见|措施)",),
    ),
    Rule(
        code="vague.special_cases",
        pattern=r"(?:特殊|特别)(?:情况|情形|原因)(?:除外|另行处理|另议|另定|下)?",
        message="“{clause}”属于模糊条款，请逐项写明是哪些情形以及如何办理。",
        exceptions=(_after(r"(?:特殊|特别)(?:情况|情形|原因)"),),
    ),
    Rule(
        code="vague.related_info",
        pattern=r"(?:相关|有关)(?:信息|情况|内容|数据|事项|事宜)",
        message="“{clause}”没有说明是哪些信息，请在其后写明具体内容（如“相关信息（姓名、住址）”）。",
        exceptions=(
            _after(r"(?:相关|有关)(?:信息|情况|内容|数据|事项|事宜)"),
            # Examples of what to fill in: "姓名、住址等相关信息".
            rf"、{IN_CLAUSE}{{0,20}}?等(?:相关|有关)(?:信息|内容|数据)",
        ),
        field_kinds=frozenset({"conditions", "materials"}),
    ),
    Rule(
        code="style.when_necessary",
        pattern=r"必要时|必要的时候|必要情况下|如有必要|确有必要",
        message="“{clause}”没有说明在什么情况下，建议写明具体情形。",
        skip_kinds=frozenset({"faq"}),
        severity=WARNING,
    ),
    Rule(
        code="style.if_any",
        pattern=r"\(如有\)",
        message="“{clause}”没有说明何时需要该材料，建议写明需要提交的情形（如“已婚的，提供结婚证”）。",
        severity=WARNING,
    ),
)
