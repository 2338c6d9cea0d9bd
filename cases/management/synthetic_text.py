"""Text for synthetic cases whose words are spread as in a real catalogue.

A real catalogue has a few words in most cases (地域, 協力), theme words in a slice of them
(子ども食堂, 空き家) and many names found in one or two (a district, a festival). Each generated
case takes a theme (its first 活動分野), two or three topics of that theme drawn with Zipf-like
weights, a district from a long list drawn the same way, and sentences made from templates
with those words, here and there one sentence of a demo case.
"""

import random

TOPICS = {
    "まちづくり": ["商店街の活性化", "空き家の活用", "コミュニティバス", "公園の管理", "移住の相談",
                   "空き店舗の再生", "地域の居場所", "まちあるき", "景観の保全", "古民家の改修"],
    "福祉（高齢者）": ["高齢者の見守り", "認知症カフェ", "買い物支援", "配食サービス",
                       "介護予防の体操", "ふれあいサロン", "移動販売", "ごみ出しの支援"],
    "福祉（障害）": ["就労支援", "障害者スポーツ", "点字の講習", "手話の普及", "作業所の製品販売",
                     "バリアフリーの点検", "グループホームとの交流"],
    "福祉（子ども）": ["子ども食堂", "学習支援", "子育てサロン", "放課後の居場所", "不登校の相談",
                       "ひとり親家庭の支援", "プレーパーク", "絵本の読み聞かせ"],
    "保健・医療": ["健康づくり", "がん検診の啓発", "食育", "心の健康相談", "在宅医療の講座",
                   "献血の呼びかけ"],
    "環境": ["海岸清掃", "里山の保全", "竹林の整備", "食品ロスの削減", "生ごみの堆肥化",
             "環境学習", "外来種の駆除", "ビオトープづくり", "太陽光発電"],
    "教育・文化": ["伝統芸能の継承", "郷土史の調査", "文化財の公開", "図書館ボランティア",
                   "キャリア教育", "出前授業", "祭りの復活"],
    "防災・防犯": ["防災訓練", "避難所の運営", "防犯パトロール", "災害ボランティア",
                   "備蓄品の点検", "ハザードマップづくり", "通学路の見守り"],
    "国際・多文化共生": ["日本語教室", "外国人の生活相談", "多言語の防災情報",
                         "国際交流のつどい", "留学生との交流"],
    "産業・観光": ["農業体験", "地産地消", "観光ガイドの育成", "特産品の開発",
                   "耕作放棄地の再生", "漁業体験", "朝市"],
    "スポーツ": ["総合型地域スポーツクラブ", "ウォーキング大会", "パラスポーツ体験",
                 "子どものスポーツ教室", "市民マラソン"],
    "その他": ["プロボノ", "クラウドファンディング", "企業の社会貢献", "中間支援", "協働の研修"],
}  # fmt: skip
PARTNERS = ["市の担当課", "地元の企業", "社会福祉協議会", "商工会議所", "公民館", "小学校",
            "大学のゼミ", "農協", "漁協", "自治会", "PTA", "商店会", "地域包括支援センター",
            "消防団", "信用金庫", "高校の部活動"]  # fmt: skip
TARGETS = ["高齢者", "子育て世代", "小中学生", "高校生", "大学生", "外国人住民", "障害のある人",
           "働く世代", "移住者", "地域の事業者"]  # fmt: skip
ISSUES = ["孤立", "担い手不足", "情報不足", "居場所の不足", "移動手段の不足", "災害への備え"]
SEASONS = ["春", "夏休み", "秋", "冬", "年度末"]
_DISTRICT_PARTS = "東西南北中新本上下大小高浜川山田野原台谷沢松梅桜若緑花旭栄港岬"
_DISTRICT_KINDS = ["地区", "町会", "団地", "台", "ニュータウン"]

TEMPLATES = {
    "summary": [
        "{place}で、{topic}に取り組んでいます。",
        "{partner}と組んで、{target}を対象に{topic}を行っています。",
        "{topic}と{topic2}を組み合わせた事業です。",
    ],
    "background": [
        "{place}では{target}の{issue}が課題になっていました。",
        "{partner}から{topic}について相談があり、話し合いを始めました。",
        "{year}年に{topic}の必要性が話し合われ、{partner}と協定を結びました。",
    ],
    "activities": [
        "毎月{n}回、{topic}を開いています。",
        "{season}には{topic2}の催しを行います。",
        "{partner}が会場を、私たちが運営を担当しています。",
    ],
    "outcomes": [
        "参加者は延べ{people}人になりました。",
        "{target}の{topic}への参加が広がりました。",
        "{partner}との連携が{topic2}にも広がりました。",
    ],
    "tips": [
        "最初に役割分担を文書にしました。",
        "{topic}は小さく始めて、少しずつ広げました。",
        "{partner}とは毎月、情報を共有しています。",
    ],
    "future_plans": [
        "今後は{topic2}にも取り組みたいと考えています。",
        "{issue}を解消するため、担い手を育てていきます。",
        "{place}の外にも{topic}を広げる予定です。",
    ],
}


def _zipf(rnd: random.Random, items: list):
    """One item, the first ones far more often than the last (weight 1/rank)."""
    return rnd.choices(items, weights=[1 / (i + 1) for i in range(len(items))])[0]


def districts(rnd: random.Random, count: int = 600) -> list[str]:
    """Made-up district names (「桜台地区」); few are common, most are rare."""
    names = {
        f"{rnd.choice(_DISTRICT_PARTS)}{rnd.choice(_DISTRICT_PARTS)}{rnd.choice(_DISTRICT_KINDS)}"
        for _ in range(count * 3)
    }
    return sorted(names)[:count]


class CaseText:
    """The words one synthetic case is about, and its fields written with them."""

    def __init__(self, rnd: random.Random, theme: str, places: list[str], area: str):
        topics = TOPICS.get(theme, TOPICS["その他"])
        self.rnd = rnd
        self.words = {
            "topic": _zipf(rnd, topics),
            "topic2": _zipf(rnd, topics),
            "place": f"{area}{_zipf(rnd, places)}",
            "partner": rnd.choice(PARTNERS),
            "target": rnd.choice(TARGETS),
            "issue": rnd.choice(ISSUES),
            "season": rnd.choice(SEASONS),
        }

    @property
    def title(self) -> str:
        return f"{self.words['place']}の{self.words['topic']}"

    def field(self, name: str, demo_sentences: list[str]) -> str:
        """Three sentences written for this case, every other field with one of the demo cases'."""
        rnd = self.rnd
        words = {
            **self.words,
            "n": rnd.randint(1, 4),
            "people": rnd.randint(2, 300) * 10,
            "year": rnd.randint(2005, 2025),
        }
        written = [t.format(**words) for t in rnd.sample(TEMPLATES[name], 3)]
        borrowed = rnd.sample(demo_sentences, 1) if rnd.random() < 0.5 else []
        sentences = [written[0], *borrowed, *written[1:]]
        return "".join(sentences)
