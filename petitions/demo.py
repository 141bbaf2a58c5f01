"""
Demo content for a newcomer's first run: the Tiananmen Mothers petition in three languages.

The text is written in our own words from the campaign's 2000 announcement (see
`../shared/seeds/`). Everything here is idempotent: running it twice changes nothing.
"""

from datetime import timedelta

from django.utils import timezone

from .counting import count_signatures
from .email_keys import email_key
from .endorsement_import import import_endorsements
from .models import Petition, Signature

TIANANMEN_MOTHERS = {
    "slug": "tiananmen-mothers",
    "status": Petition.Status.OPEN,
    "goal": 10_000,
    "takes_signatures": True,
    "takes_endorsements": True,
    "title_en": "Support the Tiananmen Mothers: investigate the 4 June 1989 killings",
    "title_zh_hant": "支持天安門母親：調查一九八九年六四殺戮",
    "title_zh_hans": "支持天安门母亲：调查一九八九年六四杀戮",
    "target_en": "The Supreme People's Procuratorate of the People's Republic of China",
    "target_zh_hant": "中華人民共和國最高人民檢察院",
    "target_zh_hans": "中华人民共和国最高人民检察院",
    "summary_en": (
        "Relatives of people killed in Beijing on 4 June 1989 have asked China's prosecutor "
        "general to open a criminal investigation. They are still waiting for an answer. "
        "Add your name to theirs."
    ),
    "summary_zh_hant": (
        "一九八九年六月四日在北京遇難者的親屬已要求最高人民檢察院立案偵查，至今仍未得到答覆。"
        "請與她們一同署名。"
    ),
    "summary_zh_hans": (
        "一九八九年六月四日在北京遇难者的亲属已要求最高人民检察院立案侦查，至今仍未得到答复。"
        "请与她们一同署名。"
    ),
    "text_en": (
        "On the night of 3 to 4 June 1989, troops under martial law opened fire on unarmed "
        "people in Beijing. Hundreds were killed, young and old, and many more were wounded. "
        "No one has been held to account.\n\n"
        "The Tiananmen Mothers, a network of family members of those killed, have spent years "
        "collecting the names of the dead and the injured and the testimonies of their families. "
        "In 1999 they submitted this evidence to the Supreme People's Procuratorate and asked "
        "for a criminal investigation into who was responsible. Chinese law obliges the "
        "Procuratorate to answer such a request. It has not.\n\n"
        "We, the undersigned, call on the Supreme People's Procuratorate to:\n"
        "1. open a criminal investigation into the killings of 3 and 4 June 1989 and make its "
        "findings public;\n"
        "2. answer the petition of the Tiananmen Mothers, as the law requires;\n"
        "3. stop the surveillance, detention and harassment of the victims' families, and let "
        "them mourn their dead in public;\n"
        "4. ensure that the families receive compensation and an account of how their loved "
        "ones died."
    ),
    "text_zh_hant": (
        "一九八九年六月三日夜至四日，戒嚴部隊在北京向手無寸鐵的民眾開槍。數以百計的人遇難，"
        "老少皆有，受傷者更多。至今無人被追究責任。\n\n"
        "天安門母親群體由遇難者家屬組成，多年來收集遇難者和受傷者的名單以及家屬的證詞。"
        "一九九九年，她們把這些證據遞交最高人民檢察院，要求立案偵查、追究責任。"
        "中國法律規定檢察院必須答覆這類請求，但它至今沒有答覆。\n\n"
        "我們，下列署名者，要求最高人民檢察院：\n"
        "一、就一九八九年六月三日至四日的殺戮立案偵查，並公開調查結果；\n"
        "二、依法答覆天安門母親的訴狀；\n"
        "三、停止對遇難者家屬的監控、拘押和騷擾，讓她們公開悼念親人；\n"
        "四、確保家屬得到賠償，並得知親人遇難的真相。"
    ),
    "text_zh_hans": (
        "一九八九年六月三日夜至四日，戒严部队在北京向手无寸铁的民众开枪。数以百计的人遇难，"
        "老少皆有，受伤者更多。至今无人被追究责任。\n\n"
        "天安门母亲群体由遇难者家属组成，多年来收集遇难者和受伤者的名单以及家属的证词。"
        "一九九九年，她们把这些证据递交最高人民检察院，要求立案侦查、追究责任。"
        "中国法律规定检察院必须答复这类请求，但它至今没有答复。\n\n"
        "我们，下列署名者，要求最高人民检察院：\n"
        "一、就一九八九年六月三日至四日的杀戮立案侦查，并公开调查结果；\n"
        "二、依法答复天安门母亲的诉状；\n"
        "三、停止对遇难者家属的监控、拘押和骚扰，让她们公开悼念亲人；\n"
        "四、确保家属得到赔偿，并得知亲人遇难的真相。"
    ),
    "next_steps_en": (
        "Before the anniversary on 4 June we will deliver the list of signers to the Supreme "
        "People's Procuratorate in Beijing, by registered post and through its public "
        "complaints office, and give a copy to the Tiananmen Mothers. The list holds each "
        "signer's name and country or region, never an email address. We will publish the "
        "date of delivery, and any answer, on this page."
    ),
    "next_steps_zh_hant": (
        "我們將在六四週年之前，以掛號郵件並經其公開的信訪窗口，把聯署人名單遞交北京的最高人民檢察院，"
        "並把副本交給天安門母親。名單上只有每位聯署人的姓名和國家或地區，絕不包括電郵地址。"
        "遞交日期和任何答覆都會在本頁公布。"
    ),
    "next_steps_zh_hans": (
        "我们将在六四周年之前，以挂号邮件并经其公开的信访窗口，把联署人名单递交北京的最高人民检察院，"
        "并把副本交给天安门母亲。名单上只有每位联署人的姓名和国家或地区，绝不包括电子邮件地址。"
        "递交日期和任何答复都会在本页公布。"
    ),
}

# The demo petition closes this long after its first load (a date to show beside the count);
# set only when it is created, so loading the demo again never moves it.
DEMO_RUNS_FOR = timedelta(days=180)


# Obviously fictional signers ("Demo …"), at example.org, which can never receive mail.
# (name, country, shows name publicly, language)
DEMO_SIGNERS = [
    ("Demo Signer Ada", "GB", True, "en"),
    ("Demo Signer Bao", "TW", True, "zh-hant"),
    ("示範簽名者 陳", "HK", True, "zh-hant"),
    ("示范签名者 李", "CA", True, "zh-hans"),
    ("Demo Signer Chidi", "NG", True, "en"),
    ("Demo Signer Dana", "US", False, "en"),
    ("Demo Signer Emil", "DE", True, "en"),
    ("Demo Signer Fatima", "FR", False, "en"),
    ("示範簽名者 林", "TW", False, "zh-hant"),
    ("Demo Signer Grace", "AU", True, "en"),
    ("Demo Signer Hiro", "JP", False, "en"),
    ("示范签名者 王", "US", True, "zh-hans"),
]


def create_demo_signatures(petition: Petition) -> None:
    """Confirmed demo signatures, counted, so the page shows a count, countries and names."""
    now = timezone.now()
    for number, (name, country, public, language) in enumerate(DEMO_SIGNERS, start=1):
        email = f"demo-signer-{number:02d}@example.org"
        confirmed_at = now - timedelta(hours=len(DEMO_SIGNERS) - number)
        Signature.objects.get_or_create(
            petition=petition,
            email_key=email_key(email),
            defaults={
                "full_name": name,
                "email": email,
                "country": country,
                "show_name_publicly": public,
                "consented_at": confirmed_at if public else None,
                "language": language,
                "status": Signature.Status.CONFIRMED,
                "created_at": confirmed_at - timedelta(minutes=5),
                "confirmed_at": confirmed_at,
                "confirmation_mails_sent": 1,
            },
        )
    count_signatures()


# Obviously fictional organisations, "(demo)" in every name, at example.org/.net addresses.
# In the import format, so the demo goes through the same code as a staff import.
DEMO_ENDORSEMENTS = """\
Example Human Rights Network (demo) | GB | https://network.example.org
Example Tibet Solidarity Group (demo) | GB | https://tibet-solidarity.example.org
Example Families for Justice (demo) | TW | https://families.example.org
示範人權聯盟 (demo) | HK |
Example Teachers' Union (demo) | FR | https://teachers-union.example.net
Example Interfaith Circle (demo) | CA |
Example Press Freedom Collective (demo) | | https://press.example.org
"""


def create_demo_endorsements(petition: Petition) -> None:
    """Approved demo endorsements; organisations that already endorsed are left alone."""
    import_endorsements(petition, DEMO_ENDORSEMENTS, by=None)


def create_demo_petitions() -> list[Petition]:
    """Create (or refresh) the demo petitions and return them."""
    fields = dict(TIANANMEN_MOTHERS)
    slug = fields.pop("slug")
    petition, created = Petition.objects.get_or_create(
        slug=slug,
        defaults={
            **fields,
            "opens_at": timezone.now(),
            "closes_at": timezone.now() + DEMO_RUNS_FOR,
        },
    )
    if not created:
        Petition.objects.filter(pk=petition.pk).update(**fields)
    create_demo_signatures(petition)
    create_demo_endorsements(petition)
    return [petition]
