"""Real place names for the demo registry, taken only from the policy catalog's section 17
(``shared/policy/catalog.md`` §17), each with the seed line(s) that name it.

* Province, city and county codes are the real GB/T 2260 codes.
* Township (9-digit) and village (12-digit) codes are **synthetic**: the real 统计用区划代码 are not
  in the seeds, so they are assigned here, deterministically, in the shape of the real scheme —
  county code + ``0xx`` for a 街道 (sub-district), ``1xx`` for a 镇, ``2xx`` for a 乡, numbered in
  the order listed below; then township code + ``2xx`` for its villages (村委会 take 200–399 in the
  real scheme), numbered in the order listed. Do not present them as official codes.
* ``poor`` is True for a village the seeds list as a 贫困村: the Bazhong land-consolidation table
  (BZ L522–536, the catalog's "(贫)" marks) and, for Kaizhou, the villages KZ L137 and L141 name
  inside "…等N个贫困村". Otherwise it is None: the seeds do not say.
* Left out on purpose: villages §17 names without their township (巴州区 苏山村; 恩阳区 桅杆垭村,
  来凤村, 窑坝村; 通江县 巴州沟村) — a village code needs its township; the urban units 杨柳河居委会
  (恩阳区 玉山镇) and 福申社区 (平昌县 福申乡), which are not rural villages; places that are not
  townships (佛头山, 南天门, 皇家山, 镇安 without its suffix, tourism belts, substations,
  reservoirs).
* 恩阳区 群乐乡 is spelt 群乐镇 at BZ L341 (catalog §13.2 #12); the land table (L526) says 群乐乡.

Seeds: BZ = ``000_99b381a438ae79d6.txt`` (巴委办〔2018〕11号), KZ = ``003_1b241415224f956a.txt``
(开州区“十三五”脱贫攻坚规划). Line numbers are 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Village",
    "Township",
    "County",
    "Division",
    "PROVINCES",
    "CITIES",
    "COUNTIES",
    "county_by_code",
    "birthplaces",
    "township_code",
    "village_code",
]


@dataclass(frozen=True, slots=True)
class Village:
    name: str
    source: str
    """Seed and line(s) naming the village with its township, e.g. ``BZ L530``."""
    poor: bool | None = None


@dataclass(frozen=True, slots=True)
class Township:
    name: str
    source: str
    villages: tuple[Village, ...] = ()


@dataclass(frozen=True, slots=True)
class Division:
    """A province or a city (prefecture level)."""

    code: str
    name: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class County:
    code: str
    name: str
    city_code: str
    pack: str
    source: str
    townships: tuple[Township, ...]


def _v(spec: str, source: str) -> tuple[Village, ...]:
    """Villages from ``"甲村 乙村* 丙村"`` (``*`` marks a 贫困村) sharing one source."""
    return tuple(
        Village(n.rstrip("*"), source, True if n.endswith("*") else None) for n in spec.split()
    )


def _t(name: str, source: str, *groups: tuple[Village, ...]) -> Township:
    return Township(name, source, tuple(v for group in groups for v in group))


PROVINCES = (
    Division("510000", "四川省", None),
    Division("500000", "重庆市", None),
)
CITIES = (
    Division("511900", "巴中市", "510000"),
    Division("500100", "重庆市市辖区", "500000"),
)

_BAZHOU = (
    _t("清江镇", "BZ L321, L375", _v("蔡家湾村", "BZ L375")),
    _t("水宁寺镇", "BZ L321"),
    _t("大茅坪镇", "BZ L324, L375", _v("孟家村 白云村", "BZ L324, L375")),
    _t("化成镇", "BZ L324, L368", _v("吴家河村", "BZ L324"), _v("白庙村", "BZ L368")),
    _t("鼎山镇", "BZ L333, L524", _v("康民村", "BZ L333, L368"),
       _v("陵江村* 石岭村* 秋桂村* 康家坝村 龙堡村*", "BZ L524")),
    _t("曾口镇", "BZ L333, L525", _v("书台村 茨垭村", "BZ L333, L354"),
       _v("方山寨村 杨帆村* 椿树村* 石堡村* 大垭村 显岩村* 秧田沟村*", "BZ L525")),
    _t("玉堂街道办事处", "BZ L333, L354", _v("苏山坪村", "BZ L333"), _v("范家沟村", "BZ L354")),
    _t("寺岭镇", "BZ L368"),
    _t("平梁镇", "BZ L375", _v("双龙村", "BZ L375")),
    _t("金碑乡", "BZ L523", _v("洪流村* 繁荣村* 黄垭村* 庙垭村 跃进村 鹤鸣村", "BZ L523")),
)
_ENYANG = (
    _t("观音井镇", "BZ L355, L362", _v("万寿村", "BZ L355, L362, L383")),
    _t("青木镇", "BZ L325", _v("平桥村", "BZ L325")),
    _t("双胜乡", "BZ L325", _v("天良村 檬垭村", "BZ L325")),
    _t("柳林镇", "BZ L348, L362", _v("罐子沟村", "BZ L362, L383"), _v("玉金村", "BZ L348")),
    _t("关公镇", "BZ L341", _v("骡动山村", "BZ L341")),
    _t("群乐乡", "BZ L341 (群乐镇), L526", _v("新河村", "BZ L341"),
       _v("朱家寨村 朱家沟村* 园艺场村 坳盘村 独柏树村*", "BZ L526")),
    _t("舞凤乡", "BZ L355", _v("三岔村", "BZ L355")),
    _t("兴隆镇", "BZ L362"),
    _t("茶坝镇", "BZ L362, L383", _v("金银村", "BZ L362, L383")),
    _t("三河场镇", "BZ L376", _v("王槐树村", "BZ L376")),
    _t("尹家乡", "BZ L376", _v("大垭口村", "BZ L376")),
    _t("石城乡", "BZ L376", _v("千丘垌村", "BZ L376")),
    _t("上八庙镇", "BZ L376, L1903", _v("断石村", "BZ L376"), _v("登文村", "BZ L1903")),
    _t("花丛镇", "BZ L376", _v("走马梁村", "BZ L376")),
    _t("玉山镇", "BZ L527", _v("春光村* 群英村 旭光村* 金华村* 七里村", "BZ L527")),
)
_NANJIANG = (
    _t("桥亭镇", "BZ L329, L335", _v("凤凰村", "BZ L329, L335")),
    _t("红光镇", "BZ L329, L335", _v("柏山村", "BZ L329, L335")),
    _t("朱公乡", "BZ L356", _v("百坪村", "BZ L356")),
    _t("关门乡", "BZ L356", _v("宝峰村", "BZ L356")),
    _t("光雾山镇", "BZ L370, L393"),
    _t("关坝镇", "BZ L377, L530", _v("小田村*", "BZ L377, L530"),
       _v("石羊村 五郎沟村* 关坝村 袁山寺村", "BZ L530")),
    _t("黑潭乡", "BZ L377", _v("白虎村", "BZ L377")),
    _t("南江镇", "BZ L377", _v("金碑村", "BZ L377")),
    _t("仁和乡", "BZ L377", _v("仁同坪村", "BZ L377")),
    _t("赤溪镇", "BZ L377", _v("蒲坪村", "BZ L377")),
    _t("正直镇", "BZ L393"),
    _t("长赤镇", "BZ L393"),
    _t("兴马乡", "BZ L1903", _v("余家坪村", "BZ L1903")),
    _t("沙河镇", "BZ L1903", _v("星光村", "BZ L1903")),
)
_TONGJIANG = (
    _t("诺水河镇", "BZ L330, L380", _v("柳林村", "BZ L330, L380")),
    _t("烟溪乡", "BZ L330, L380", _v("罗张窝村", "BZ L330, L380")),
    _t("铁佛镇", "BZ L330, L380", _v("凤凰村", "BZ L330, L380")),
    _t("空山镇", "BZ L330, L380", _v("青龙村", "BZ L330, L380"), _v("五福村", "BZ L330")),
    _t("云县乡", "BZ L330, L380", _v("蒲家坪村", "BZ L330, L380")),
    _t("诺江镇", "BZ L336, L343", _v("新华村", "BZ L336, L343, L371")),
    _t("兴隆乡", "BZ L336, L343", _v("渔池村", "BZ L336"), _v("紫荆村", "BZ L343")),
    _t("民胜镇", "BZ L357", _v("鹰歌嘴村", "BZ L357")),
    _t("毛浴镇", "BZ L364"),
    _t("新场镇", "BZ L371, L394", _v("照山坪村", "BZ L371")),
    _t("陈河乡", "BZ L531", _v("河坝场村 老鹰咀村* 李季坪村 天坪岗村 西浴溪村*", "BZ L531")),
    _t("芝苞乡", "BZ L532", _v("千鱼沟村* 龙家坪村 金顶岭村 陶家坝村 赵家坪村", "BZ L532")),
)
_PINGCHANG = (
    _t("板庙镇", "BZ L323, L337", _v("大石村", "BZ L323, L337, L381")),
    _t("土垭镇", "BZ L328, L337", _v("晨光村", "BZ L328, L337")),
    _t("粉壁乡", "BZ L328, L337", _v("火花村", "BZ L328, L337, L381")),
    _t("镇龙镇", "BZ L328, L337", _v("三交村", "BZ L328, L337")),
    _t("驷马镇", "BZ L358"),
    _t("青凤镇", "BZ L358, L381", _v("赵垭村", "BZ L381")),
    _t("西兴镇", "BZ L358, L381", _v("五童村", "BZ L381")),
    _t("鹿鸣镇", "BZ L358"),
    _t("白衣镇", "BZ L381", _v("蒿坪村", "BZ L381")),
    _t("元山镇", "BZ L395"),
    _t("灵山镇", "BZ L395"),
    _t("福申乡", "BZ L533", _v("土寨村 长胜村 白乐村* 金桥村", "BZ L533")),
    _t("响滩镇", "BZ L534, L1903", _v("长梁村 龙岩村 墙园村 双梁村*", "BZ L534"),
       _v("龙角村", "BZ L1903")),
    _t("笔山镇", "BZ L535", _v("狮岭村 石溪村* 天池村 明山村", "BZ L535")),
)
_KAIZHOU = (
    _t("金峰镇", "KZ L136, L137, L298", _v("中山村*", "KZ L136, L137")),
    _t("厚坝镇", "KZ L136", _v("石龙村", "KZ L136")),
    _t("竹溪镇", "KZ L136, L142", _v("青吉村 夫坪村 大海村", "KZ L136")),
    _t("渠口镇", "KZ L136, L137", _v("茶香村", "KZ L136"), _v("双丰村* 剑阁楼村", "KZ L137")),
    _t("镇东街道", "KZ L136", _v("安居村", "KZ L136")),
    _t("郭家镇", "KZ L136", _v("桑坪村 盆丰村 团保村", "KZ L136")),
    _t("中和镇", "KZ L136, L137", _v("白果村", "KZ L136"), _v("新义村*", "KZ L137")),
    _t("白桥镇", "KZ L136, L137, L298", _v("山茶村", "KZ L136"), _v("柏大村*", "KZ L137")),
    _t("铁桥镇", "KZ L136, L298", _v("龙王村", "KZ L136")),
    _t("巫山镇", "KZ L136", _v("盘龙村", "KZ L136")),
    _t("大进镇", "KZ L136, L137, L141, L298", _v("新元村", "KZ L136"),
       _v("杨柳村", "KZ L136, L141"), _v("双龙桥村* 长城村*", "KZ L137")),
    _t("关面乡", "KZ L136", _v("青蒿村", "KZ L136")),
    _t("白泉乡", "KZ L136, L137", _v("钟鼓村", "KZ L136"), _v("罗家村*", "KZ L137")),
    _t("南门镇", "KZ L136", _v("龙河村 龙头村", "KZ L136")),
    _t("义和镇", "KZ L136", _v("同治村", "KZ L136")),
    _t("三汇口乡", "KZ L136", _v("咸乐村", "KZ L136")),
    _t("谭家镇", "KZ L137, L141", _v("撕栗村*", "KZ L137"), _v("锦竹村*", "KZ L141")),
    _t("河堰镇", "KZ L137, L141", _v("马家村", "KZ L137"), _v("倪家村*", "KZ L141")),
    _t("温泉镇", "KZ L137, L298", _v("顺平村*", "KZ L137")),
    _t("长沙镇", "KZ L141, L142", _v("齐圣村 狮子村", "KZ L141")),
    _t("满月乡", "KZ L141", _v("马营村 顶星村 双坪村", "KZ L141")),
    _t("紫水乡", "KZ L141", _v("雄鹰村*", "KZ L141")),
    _t("临江镇", "KZ L142, L298"),
    _t("高桥镇", "KZ L298"),
    _t("天和镇", "KZ L298"),
)

COUNTIES = (
    County("511902", "巴州区", "511900", "bazhong-2018", "catalog §17.1", _BAZHOU),
    County("511903", "恩阳区", "511900", "bazhong-2018", "catalog §17.1", _ENYANG),
    County("511921", "通江县", "511900", "bazhong-2018", "catalog §17.1", _TONGJIANG),
    County("511922", "南江县", "511900", "bazhong-2018", "catalog §17.1", _NANJIANG),
    County("511923", "平昌县", "511900", "bazhong-2018", "catalog §17.1", _PINGCHANG),
    County("500154", "开州区", "500100", "kaizhou-2016-2020", "catalog §17.2", _KAIZHOU),
)


_NEIGHBOURS = {"500154": ("500101", "500235")}
"""Birthplaces of people who married into 开州区: 万州区 (500101) and 云阳县 (500235), the "万开云"
bloc named at KZ L293 and L312 (catalog §17.2); GB/T 2260 codes."""


def birthplaces(county: County) -> tuple[str, ...]:
    """County codes a spouse or parent born elsewhere may carry in their ID: the city's other
    counties for Bazhong, the neighbouring districts for Kaizhou."""
    if county.code in _NEIGHBOURS:
        return _NEIGHBOURS[county.code]
    return tuple(c.code for c in COUNTIES if c.city_code == county.city_code and c != county)


def county_by_code(code: str) -> County:
    for county in COUNTIES:
        if county.code == code:
            return county
    raise KeyError(code)


def _kind_block(name: str) -> int:
    """First number of the block a township's kind takes in the real scheme."""
    if name.endswith(("街道", "街道办事处")):
        return 1
    if name.endswith("镇"):
        return 101
    return 201


def township_code(county: County, township: Township) -> str:
    """Synthetic 9-digit code: county code + 0xx (街道) / 1xx (镇) / 2xx (乡), in listed order."""
    block = _kind_block(township.name)
    same_kind = [t for t in county.townships if _kind_block(t.name) == block]
    return f"{county.code}{block + same_kind.index(township):03d}"


def village_code(county: County, township: Township, village: Village) -> str:
    """Synthetic 12-digit code: township code + 2xx, in listed order."""
    return f"{township_code(county, township)}{201 + township.villages.index(village):03d}"
