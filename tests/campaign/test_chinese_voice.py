"""
The two Chinese catalogues speak with one voice: the glossary in docs/development.md, 您
throughout, mainland vocabulary in Simplified, the right script in each, and Chinese
punctuation in Chinese sentences. Each rule names the msgid that breaks it.
"""

import re
from datetime import date
from functools import cache
from pathlib import Path

import opencc
import polib
import pytest
from django.utils import translation
from django.utils.formats import date_format

LOCALE = Path(__file__).resolve().parents[2] / "locale"
TRADITIONAL, SIMPLIFIED = "zh_Hant", "zh_Hans"

CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
# An ASCII , ; : ? ! ( ) touching a Chinese character: "您好," or "確認(必填)".
ASCII_PUNCTUATION_BESIDE_CJK = re.compile(rf"{CJK}[,;:?!()]|[,;:?!()] ?{CJK}")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{.*?\}\}|\{[\w.]*\}|<[^>]+>")

# Taiwan and Hong Kong words a mainland reader trips over, with what zh-Hans says instead.
NOT_MAINLAND = {
    "资讯": "信息",
    "讯息": "信息",
    "网誌": "博客",
    "网志": "博客",
    "电邮": "电子邮件",
    "预设": "默认",
    "登入": "登录",
    "登出": "退出",
    "连结": "链接",
    "联络": "联系",
    "私隐": "隐私",
    "透过": "通过",
    "支援": "支持",
    "影片": "视频",
    "视讯": "视频",
    "用户端": "客户端",
    "设定": "设置",
    "档案夹": "文件夹",
    "资料夹": "文件夹",
    "伺服器": "服务器",
    "储存": "保存",
    "载入": "加载",
    "栏位": "字段",
    "个人资料": "个人信息",
    "公义": "正义",
    "甚么": "什么",
}

# Standard Traditional characters that OpenCC's s2t still swaps for a variant (公布→公佈,
# 秘書→祕書, 群組→羣組): Taiwan's standard form, and used in Hong Kong too.
TRADITIONAL_TOO = set("布秘台群")
SIMPLIFIED_TOO: set[str] = set()

# English glossary word (as a regular expression on the msgid, placeholders removed) and the
# one term each catalogue must use for it. docs/development.md shows the same table.
GLOSSARY = [
    (r"\bpetitions?\b", "請願", "请愿"),
    (r"\bsign(s|ed|ing)?\b", "聯署", "联署"),
    (r"\bsignatures?\b", "簽名", "签名"),
    (r"\bsigners?\b", "聯署人", "联署人"),
    (r"\bendorse(s|d)?\b", "表示支持", "表示支持"),
    (r"\bendorsements?\b", "團體支持", "团体支持"),
    (r"\bwithdraw(s|n|ing)?\b", "撤回", "撤回"),
    (r"\bconfirm(s|ed|ing|ation)?\b", "確認", "确认"),
    (r"\btarget\b", "對象", "对象"),
    (r"\borganisations?\b", "機構", "机构"),
    (r"\bemail\b", "電郵", "电子邮件"),
    (r"\barchive\b", "檔案庫", "档案库"),
    (r"\bstatements?\b", "聲明", "声明"),
]
# Fixed expressions where the glossary word is part of another name.
GLOSSARY_EXCEPTIONS = {
    "Non-governmental organisation",  # 非政府組織: the established term for an NGO
    "Publish the selected statements",
    "Anti-automation",
}


@cache
def _catalogue(locale: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / locale / "LC_MESSAGES" / "django.po"))


def _translations(locale: str) -> list[tuple[str, str]]:
    pairs = []
    for entry in _catalogue(locale).translated_entries():
        texts = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        pairs.extend((entry.msgid, text) for text in texts)
    return pairs


def _violations(locale: str, rule) -> list[str]:
    return [f"{msgid!r} → {text!r}" for msgid, text in _translations(locale) if rule(msgid, text)]


def _words(text: str) -> str:
    """The text without placeholders and markup, whose quotes and brackets are not prose."""
    return PLACEHOLDER.sub(" ", text)


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _script_mismatches(text: str, config: str) -> str:
    """The characters OpenCC would change (phrase by phrase, so 批准 stays 批准) in text."""
    converted = _converter(config).convert(text)
    allowed = TRADITIONAL_TOO if config == "s2t" else SIMPLIFIED_TOO
    changed = {a for a, b in zip(text, converted, strict=False) if a != b}
    return "".join(sorted(changed - allowed))


@pytest.mark.parametrize("locale", [TRADITIONAL, SIMPLIFIED])
def test_the_reader_is_addressed_as_nin(locale):
    assert _violations(locale, lambda msgid, text: "你" in text or "妳" in text) == []


@pytest.mark.parametrize("locale", [TRADITIONAL, SIMPLIFIED])
def test_chinese_sentences_use_chinese_punctuation(locale):
    def ascii_punctuation(msgid, text):
        return ASCII_PUNCTUATION_BESIDE_CJK.search(PLACEHOLDER.sub("x", text)) is not None

    assert _violations(locale, ascii_punctuation) == []


def test_traditional_quotes_with_corner_brackets_and_simplified_with_curly_quotes():
    def curly_or_straight(msgid, text):
        return re.search('[“”"]', _words(text))

    def corner_brackets(msgid, text):
        return re.search("[「」『』]", _words(text))

    assert _violations(TRADITIONAL, curly_or_straight) == [], "zh-Hant quotes with 「」"
    assert _violations(SIMPLIFIED, corner_brackets) == [], "zh-Hans quotes with “”"


def test_traditional_catalogue_has_no_simplified_characters():
    assert _violations(TRADITIONAL, lambda msgid, text: _script_mismatches(text, "s2t")) == []


def test_simplified_catalogue_has_no_traditional_characters():
    assert _violations(SIMPLIFIED, lambda msgid, text: _script_mismatches(text, "t2s")) == []


def test_simplified_catalogue_uses_mainland_vocabulary():
    def not_mainland(msgid, text):
        return [f"{word}→{mainland}" for word, mainland in NOT_MAINLAND.items() if word in text]

    assert _violations(SIMPLIFIED, not_mainland) == []


def test_a_count_of_signatures_never_reads_as_a_count_of_petitions():
    """ "12 個聯署" reads as "12 petitions": a count is of 簽名 (or 12 人聯署)."""

    def counted_as_petitions(msgid, text):
        return re.search("[個个][聯联]署(?!人)", text)

    for locale in (TRADITIONAL, SIMPLIFIED):
        assert _violations(locale, counted_as_petitions) == []


@pytest.mark.parametrize("locale", [TRADITIONAL, SIMPLIFIED])
@pytest.mark.parametrize(("english", "traditional", "simplified"), GLOSSARY)
def test_glossary_words_keep_their_one_translation(locale, english, traditional, simplified):
    term = traditional if locale == TRADITIONAL else simplified

    def strays(msgid, text):
        if msgid in GLOSSARY_EXCEPTIONS:
            return False
        words = PLACEHOLDER.sub(" ", msgid)
        return re.search(english, words, re.IGNORECASE) is not None and term not in text

    assert _violations(locale, strays) == []


def test_glossary_in_the_docs_matches_the_test():
    docs = (LOCALE.parent / "docs" / "development.md").read_text(encoding="utf-8")
    for _english, traditional, simplified in GLOSSARY:
        assert f"| {traditional} | {simplified} |" in docs


@pytest.mark.parametrize("language", ["zh-hant", "zh-hans"])
def test_a_chinese_date_is_written_without_spaces(language):
    """Django's zh formats keep 2026年12月2日 in one piece; a local override must too."""
    with translation.override(language):
        assert date_format(date(2026, 12, 2)) == "2026年12月2日"
