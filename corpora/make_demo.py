#!/usr/bin/env python3
"""Build the bundled demo corpora for textmine.

Writes, relative to this file:

    demo/comments.csv      livestream / shop comments (texts from demo/comment_pool.toml)
    demo/sales.csv         daily sales per product, spec, channel and streamer
    demo/aliases.csv       spelling variants of product names used in comments
    demo/articles/*.txt    short news-style articles about the same story

Everything is deterministic (fixed seeds); running the script twice produces
byte-identical files.  Only the standard library, numpy and pandas are used.

    python corpora/make_demo.py            # regenerate
    python corpora/make_demo.py --check    # regenerate and print a summary
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20260601
HERE = Path(__file__).resolve().parent
DEMO = HERE / "demo"
POOL = DEMO / "comment_pool.toml"

START = dt.date(2026, 6, 1)          # Monday of week 1
N_WEEKS = 13
N_DAYS = N_WEEKS * 7                 # 2026-06-01 .. 2026-08-30
DAYS = [START + dt.timedelta(days=i) for i in range(N_DAYS)]
ALL_WEEK = (0, 1, 2, 3, 4, 5, 6)


def week_of(day: dt.date) -> int:
    """1-based week number within the demo period."""
    return (day - START).days // 7 + 1


# --------------------------------------------------------------------------
# Products, prices, streamers, channels
# --------------------------------------------------------------------------

PRODUCTS = ["城步蜂蜜", "雷山银球茶", "雷山鱼酱", "平顺小米", "赣南脐橙", "多伦香菇干"]

# (product, spec) -> list price in CNY
PRICES = {
    ("城步蜂蜜", "300g"): 39.9, ("城步蜂蜜", "500g"): 59.9,
    ("雷山银球茶", "100g"): 68.0, ("雷山银球茶", "250g"): 148.0,
    ("雷山鱼酱", "250g"): 29.9, ("雷山鱼酱", "500g"): 49.9,
    ("平顺小米", "1kg"): 19.9, ("平顺小米", "2.5kg"): 45.9,
    ("赣南脐橙", "5斤"): 39.9, ("赣南脐橙", "10斤"): 69.9,
    ("多伦香菇干", "250g"): 45.0, ("多伦香菇干", "500g"): 82.0,
}
MILLET_PRICE_RISE = dt.date(2026, 6, 29)     # week 5
MILLET_NEW_PRICES = {"1kg": 22.9, "2.5kg": 52.9}

# units of the second spec relative to the first one
SPEC_RATIO = {
    "城步蜂蜜": ("300g", "500g", 0.38),
    "雷山银球茶": ("100g", "250g", 0.45),
    "雷山鱼酱": ("250g", "500g", 0.60),
    "平顺小米": ("1kg", "2.5kg", 0.50),
    "赣南脐橙": ("5斤", "10斤", 0.65),
    "多伦香菇干": ("250g", "500g", 0.50),
}

# weekly trend (multiplicative) on top of everything else
WEEKLY_TREND = {
    "城步蜂蜜": 1.005, "雷山银球茶": 0.993, "雷山鱼酱": 1.0,
    "平顺小米": 1.0, "赣南脐橙": 0.995, "多伦香菇干": 1.0,
}

CHANNELS = ["快手", "抖音", "淘宝直播", "微信小程序"]

# fictional accounts: name -> (tier, nickname hints that may appear in comments)
STREAMERS = {
    "城步吴副县长": ("waist", ("县长",)),
    "山货姐阿琳": ("head", ("阿琳", "山货姐")),
    "大胖哥严选": ("head", ("胖哥",)),
    "雷山阿妹秀秀": ("waist", ("秀秀", "阿妹")),
    "多伦草原老马": ("waist", ("老马",)),
    "雷山苗家合作社": ("tail", ("合作社",)),
    "平顺小米合作社": ("tail", ("合作社",)),
    "赣南果农老钟": ("tail", ("老钟",)),
}
CHANNEL_HINTS = {"小程序": "微信小程序", "淘宝": "淘宝直播", "抖音": "抖音", "快手": "快手"}

# Sales routes: (product, streamer, channel, weekdays with a live session /
# open shop, base daily units of the first spec).  weekdays=None marks a head
# streamer's special that only sells in the days after a spike.
ROUTES = [
    ("城步蜂蜜", "城步吴副县长", "快手", (1, 3, 5, 6), 150),
    ("城步蜂蜜", "城步吴副县长", "抖音", (0, 2, 4, 5), 110),
    ("城步蜂蜜", "城步吴副县长", "微信小程序", ALL_WEEK, 55),
    ("城步蜂蜜", "山货姐阿琳", "快手", None, 0),
    ("城步蜂蜜", "大胖哥严选", "抖音", None, 0),
    ("雷山银球茶", "雷山阿妹秀秀", "抖音", (0, 1, 2, 3, 4), 24),
    ("雷山银球茶", "雷山阿妹秀秀", "淘宝直播", (2, 5, 6), 15),
    ("雷山银球茶", "雷山苗家合作社", "微信小程序", ALL_WEEK, 9),
    ("雷山银球茶", "雷山苗家合作社", "淘宝直播", (1, 3, 5), 8),
    ("雷山鱼酱", "雷山阿妹秀秀", "抖音", (0, 1, 2, 3, 4), 38),
    ("雷山鱼酱", "雷山苗家合作社", "微信小程序", ALL_WEEK, 14),
    ("雷山鱼酱", "雷山苗家合作社", "淘宝直播", (1, 3, 5), 12),
    ("平顺小米", "平顺小米合作社", "微信小程序", ALL_WEEK, 26),
    ("平顺小米", "平顺小米合作社", "快手", (0, 3, 5), 22),
    ("赣南脐橙", "赣南果农老钟", "淘宝直播", (0, 2, 4, 5, 6), 34),
    ("赣南脐橙", "赣南果农老钟", "微信小程序", ALL_WEEK, 18),
    ("赣南脐橙", "大胖哥严选", "抖音", (1, 4), 110),
    ("多伦香菇干", "多伦草原老马", "快手", (0, 1, 3, 4, 5), 30),
    ("多伦香菇干", "多伦草原老马", "淘宝直播", (2, 6), 16),
    ("多伦香菇干", "山货姐阿琳", "快手", (2, 6), 55),
]

# Head-streamer honey specials: (date, streamer, channel, size as a multiple of
# an ordinary honey day).  The county account co-hosts each of them.
SPIKES = [
    (dt.date(2026, 6, 13), "山货姐阿琳", "快手", 6.0),
    (dt.date(2026, 7, 4), "大胖哥严选", "抖音", 7.5),
    (dt.date(2026, 8, 8), "山货姐阿琳", "快手", 6.5),
]
SPIKE_COHOST = "城步吴副县长"
HONEY_DAY_300G = 125          # ordinary total honey 300g units per day
SPIKE_DECAY_DAYS = 1.8        # e-folding time of the spike, in days
SPIKE_WINDOW = 8              # day of the special + 7 days of replays

WEEKDAY_FACTOR = (0.90, 0.92, 0.95, 1.00, 1.08, 1.20, 1.15)

# spelling variants seen in comment listings (all map to a canonical name)
ALIASES = [
    ("城步土蜂蜜", "城步蜂蜜"),
    ("城步苗家蜂蜜", "城步蜂蜜"),
    ("银球茶", "雷山银球茶"),
    ("雷山银球", "雷山银球茶"),
    ("苗家鱼酱", "雷山鱼酱"),
    ("雷山鱼酱500克", "雷山鱼酱"),
    ("平顺黄小米", "平顺小米"),
    ("平顺县小米", "平顺小米"),
    ("赣州脐橙", "赣南脐橙"),
    ("赣南橙子", "赣南脐橙"),
    ("多伦香菇", "多伦香菇干"),
    ("多伦干香菇", "多伦香菇干"),
]
VARIANT_SHARE = 0.03

SCORE = {"pos": 1, "neg": -1, "neu": 0}

# --------------------------------------------------------------------------
# Awkward rows kept on purpose (robustness of readers and cleaners)
# --------------------------------------------------------------------------

LONG_COMMENT = (
    "说说我这次买雷山鱼酱的经历吧，有点长，大家耐心看完。我是六月初在秀秀直播间第一次买的，"
    "当时250g和500g各拍了一瓶，收到以后真的惊艳，酸辣味很正，拌饭拌面都好吃，我还专门发朋友圈"
    "帮他们宣传，拉着办公室三个同事一起下单。七月份天气一热就出问题了，第二次买的两瓶500g，"
    "快递箱还没拆就闻到一股怪味，打开一看，一瓶盖子顶起来了，另一瓶漏得整个箱子都是红油，"
    "里面的鱼块颜色发黑，还有一股馊味。我第一时间联系客服，客服只会说亲亲稍等，三天都没给答复。"
    "后来我看评论区，发现很多人都遇到胀罐、漏液、发霉的情况，根本不是个别现象。说实话，那时候"
    "我真的很生气，一方面是花了钱，另一方面是觉得被辜负了，我们是因为信任主播、信任雷山这个"
    "牌子才买的。我打了12315，也在平台上提交了投诉，要求市场监管部门抽检这批货。大概过了十来天，"
    "合作社发了召回公告，县里也出面说明了情况，说是夏季高温运输加上一批瓶盖密封不合格导致的，"
    "后面会换真空包装、走冷链，还公示了第三方检测报告。退款是到账了，可是之前吃坏肚子的同事"
    "到现在都没拿到任何赔偿，客服的回复一直是在处理中。我不反对给整改一个机会，东西本身的味道"
    "我是认可的，但希望合作社和主播都记住这次教训：直播卖货卖的是信任，信任一旦没了，再多的流量"
    "也救不回来。以后我会再观望一段时间，看看新批次的评价再决定要不要回购，也希望平台和监管部门"
    "把高温季节的食品发货管起来，别让下一个产品再翻车。"
)

# (text, sentiment, product, streamer, channel, date, time)
AWKWARD = [
    ("", "neu", "城步蜂蜜", "山货姐阿琳", "快手", "2026-06-13", "20:41:07"),
    ("+1", "neu", "城步蜂蜜", "大胖哥严选", "抖音", "2026-07-04", "20:15:52"),
    ("https://v.kuaishou.com/3kPz9Qw", "neu", "城步蜂蜜", "山货姐阿琳", "快手", "2026-08-08", "21:02:33"),
    ("=好评+10086", "pos", "平顺小米", "平顺小米合作社", "快手", "2026-06-18", "20:07:41"),
    ("   ", "neu", "多伦香菇干", "山货姐阿琳", "快手", "2026-06-24", "21:33:10"),
    ("@山货姐阿琳", "neu", "多伦香菇干", "山货姐阿琳", "快手", "2026-07-08", "20:52:18"),
    ("😡😡😡", "neg", "雷山鱼酱", "雷山阿妹秀秀", "抖音", "2026-07-15", "21:18:04"),
    ("。。。？？？！！！", "neu", "赣南脐橙", "赣南果农老钟", "淘宝直播", "2026-07-29", "20:26:45"),
    ('第一箱很甜，\n第二箱"一般般", 有两个压坏了', "neg", "赣南脐橙", "赣南果农老钟", "微信小程序",
     "2026-07-31", "09:12:26"),
    (LONG_COMMENT, "neg", "雷山鱼酱", "雷山苗家合作社", "微信小程序", "2026-08-05", "23:47:59"),
    ("-_-||", "neu", "多伦香菇干", "多伦草原老马", "快手", "2026-08-13", "21:40:12"),
    ("👍👍👍👍", "pos", "雷山银球茶", "雷山阿妹秀秀", "抖音", "2026-08-11", "20:11:36"),
]

# --------------------------------------------------------------------------
# Articles (fictional news, first line is the title)
# --------------------------------------------------------------------------

ARTICLES = [
    ("01_城步蜂蜜直播.txt", """县长进直播间 城步蜂蜜一晚卖出上千单 300克小盒成“爆款”

6月13日晚，湖南城步苗族自治县的蜂蜜出现在快手头部主播“山货姐阿琳”的直播间里。与阿琳同框的，是平时在自己账号“城步吴副县长”里介绍家乡物产的吴副县长。两个多小时的直播中，镜头多次切到南山脚下的蜂场，蜂农现场开箱取蜜，直播间不断刷出“上车”“拍了”的弹幕。

据县电商服务中心统计，当晚城步蜂蜜300克装卖出一千余单，500克装四百余单，之后几天通过回放和橱窗又陆续卖出上千单。“我们几次直播下来发现，300克一盒的销量明显更大。”吴副县长在下播后说，300克装价格门槛低、吃完就换新，既适合自家尝鲜，也方便送人，“500克装更适合老顾客回购”。

与一般的网红专场不同，这场直播的主角并不只是主播。阿琳在直播中反复强调产地和检测报告，吴副县长则讲起了城步苗乡的蜜源植物和蜂农的收入。有观众留言说，“冲着县长来的，支持城步”，也有人直接问“县长带货也收坑位费吗”。对此，县商务部门相关负责人表示，本场直播未向农户收取任何费用，主播方按平台规则收取佣金。

业内人士指出，头部主播的流量能在短时间内把销量推高五到十倍，但热度往往在一周内回落。城步县的做法是把头部专场和县长账号的日常直播结合起来：专场负责“破圈”，日常直播和微信小程序负责留住回头客。县里计划7月、8月再各安排一场头部主播专场，同时加强发货环节的质量抽查，避免出现漏蜜、破瓶等问题影响口碑。

“流量来得快，去得也快。”吴副县长说，“真正能留住消费者的，还是蜂蜜本身的品质。”
"""),
    ("02_雷山银球茶地理标志.txt", """一颗“小银球”的品牌路：雷山银球茶借地理标志打开线上市场

贵州雷山县的银球茶外形独特，茶叶被揉捻成直径约一厘米的小球，冲泡后慢慢舒展。今年夏天，这款茶在直播间里逐渐走红。记者从当地农业部门了解到，6月以来，雷山银球茶的线上销量保持每周小幅增长，复购率明显高于去年同期。

银球茶是地理标志保护产品，也是雷山县重点打造的区域公用品牌。县里统一了品牌标识、包装规范和溯源码，合作社和茶企使用公用品牌，须通过质量抽检并接受年度复核。“以前各家包装五花八门，消费者分不清真假。现在统一了标准，扫码就能看到是哪片茶园、哪一批次。”雷山苗家合作社的负责人说。

在抖音上做茶叶直播的“雷山阿妹秀秀”是当地土生土长的苗族姑娘。她常常穿着银饰在茶园里开播，一边讲冲泡方法，一边讲苗岭的云雾和采茶的时节。直播间评论里，“包装好看”“送礼有面子”“有地理标志放心”是出现频率最高的几句话。也有消费者一开始觉得价格偏高，“不就是绿茶压成球吗”，但随着品牌故事和冲泡知识的普及，这类声音逐渐减少。

今年推出的苗绣礼盒是一个转折点。礼盒把苗族银饰和刺绣元素用在包装上，既保证了茶叶的密封要求，也照顾到了送礼场景。合作社数据显示，7月以后250克礼盒装的订单占比明显上升，不少是企业采购和中秋备货。

专家认为，区域公用品牌的价值在于“统一标准、共享信誉”，但也意味着风险共担。“一家出了问题，伤的是整个地名。”因此，品牌越响，越要守住质量底线，对授权使用者的监管不能放松。
"""),
    ("03_雷山鱼酱胀罐漏液.txt", """高温下的“翻车”：雷山鱼酱出现胀罐漏液 消费者投诉增多

7月上旬以来，不少在直播间购买雷山鱼酱的消费者反映，收到的鱼酱出现漏液、胀袋、瓶盖顶起等情况，部分产品开盖后有酸臭味，表面长出白毛。社交平台上，“踩雷”“翻车”“不敢再买”等评论集中出现，有消费者称食用后出现腹泻。

雷山鱼酱是当地苗族传统发酵食品，以鱼和辣椒为主要原料，酸辣开胃，曾在乡村带货节上创下十余分钟售罄的纪录。今年6月，该产品在“雷山阿妹秀秀”的抖音直播间和雷山苗家合作社的小程序店铺中销售火爆，好评率一度很高。

问题集中出现在7月第二、三周。一位来自江苏的消费者说，她先后买了两次，第一次味道很好，第二次收到的两瓶都漏了，“快递箱被红油泡透，打开一股馊味”。另一些消费者则质疑商家虚假宣传：直播时称“冷链发货、无菌灌装”，实际使用的是普通快递。评论区里，“12315”“市场监管”“要求抽检”等字眼频繁出现。

记者从当地市场监管部门了解到，已接到多起相关投诉，执法人员对合作社的生产车间和库存产品进行了现场检查并抽样送检。初步了解，问题可能与一批瓶盖密封不严、高温天气下长途运输有关，具体原因有待检测结果。

业内人士表示，发酵类食品对温度和密封要求较高，夏季通过普通快递长途运输存在风险。直播带货让地方特产迅速打开市场，但生产规范和供应链能力往往跟不上销量增长。“销量越大，一个小问题被放大的速度就越快。”一位电商从业者说，粉丝买货更多是出于对主播和产地的信任，一旦出现质量问题，伤害的是整个区域品牌。
"""),
    ("04_雷山鱼酱召回整改.txt", """雷山鱼酱启动召回 公布第三方检测报告并改用冷链发货

8月初，雷山苗家合作社发布召回公告，对7月上中旬生产的两个批次鱼酱实施主动召回，已购买该批次产品的消费者可凭订单申请全额退款，无需寄回原瓶。同时，合作社在小程序和直播间公示了第三方检测机构出具的检测报告。

根据公告，此次问题主要由一批不合格瓶盖导致密封失效，加之高温天气下普通快递运输时间过长，造成部分产品胀罐、漏液和变质。整改措施包括：更换瓶盖供应商并对每批瓶盖抽检；新增真空封口和双层密封；7月至9月高温期间全部改用冷链发货；每个批次留样并公示检测结果。

“雷山阿妹秀秀”在8月初的一场直播中专门向消费者道歉，并展示了新的包装和冷链打包过程。直播评论区里，既有“态度诚恳，再给一次机会”的声音，也有“检测报告是自己送检的，谁信”“只退款不赔偿”的质疑。当地市场监管部门表示，抽检结果已经出炉，后续将对该合作社开展跟踪检查。

从直播间的销量看，事件对消费者信心的影响并没有随着召回立即消失。合作社负责人坦言，7月下旬以来订单量一度不到平时的四成，“整改之后，销量是一点点恢复的，老顾客愿意回来，但新顾客还在观望”。8月中下旬，评论区里“味道回来了”“新包装很严实”的评价逐渐增多。

专家认为，此次事件提供了一个处理范本：问题发生后及时召回、公开检测、明确整改，比删评论、甩锅快递更能挽回信任。地方特色食品要走得更远，需要把标准化生产、冷链物流和质量追溯当作基础设施来建设。
"""),
    ("05_赣南脐橙高温物流.txt", """高温天气考验生鲜物流 赣南脐橙售后压力增大

7月下旬起，南方多地持续高温，生鲜电商迎来一年中最难熬的时段。在淘宝直播间卖赣南脐橙的果农老钟最近每天都要处理十几条售后消息：“快递慢”“压坏了”“烂果”成了评论区的高频词。

赣南脐橙是地理标志产品，每年冬季采收，夏季市场上销售的主要是冷库储存果。冷库果出库后对温度十分敏感，一旦在中转环节滞留，容易出现软化、腐烂。有消费者反映，10斤装的一箱收到时“能吃的不到一半”；也有人说快递箱被倒放，下层果子压坏流汁。

面对集中出现的投诉，不同商家的售后处理差别明显。有的商家实行“坏果拍照秒退款”，不需寄回，消费者反而留下好评；也有商家客服迟迟不回复、只退部分款项，甚至要求消费者寄回烂果，引发二次不满。“虽然物流不行，但是客服挽回了印象”“客服机器人只会回亲亲稍等”，两种评价同时出现在评论区。

8月上旬，老钟把高温期间的订单全部换成冷链快递，并在箱内增加了隔板和冰袋，每单运费成本上涨约4元。在抖音直播间带货的“大胖哥严选”团队也调整了发货节奏，暂停向部分偏远地区发货。“多花一点运费，比赔钱、丢口碑划算得多。”老钟说。

物流专家指出，县域生鲜电商的短板往往不在产地，而在“最后一公里”。产地冷库、分拣包装、冷链干线和末端配送需要协同，单靠某一个商家很难解决。建议地方政府和平台共同建设产地仓、统一包装标准，并在高温季节提前发布发货指引，减少消费者和果农的双重损失。
"""),
    ("06_多伦香菇货不对板.txt", """直播间“大花菇”到手变碎菇 多伦香菇干主播被指货不对板

8月以来，一名自称“多伦草原老马”的腰部主播遭到大量消费者投诉。多名消费者反映，该主播在直播中展示的是肉厚、纹路清晰的大花菇，收到的却多是碎菇、菇脚，有的还有虫眼和刺鼻的硫磺味；500克装实际称重只有430克左右。“货不对板”“以次充好”“主播乱吹”成为评论区的高频词。

“多伦草原老马”此前在快手和淘宝直播上销售多伦香菇干，凭借朴实的讲解风格积累了一批粉丝，不少人是冲着“老马实在”才下单。一位老顾客说，前两个月买的品质都不错，“同一个链接，这个月的货和上个月差太多，怀疑是换了供货商”。还有消费者称，在评论区指出问题后评论被删，申请“假一赔十”无人理睬。

值得注意的是，同一时期在头部主播“山货姐阿琳”直播间销售的多伦香菇干并未出现类似的集中投诉，评价仍以“肉厚”“炖汤香”为主。这说明问题更可能出在个别主播的选品和供应链环节，而不是产品本身。

多伦县相关部门表示，已注意到网络反映，将核查该主播所售产品的来源，并提醒消费者认准区域公用品牌标识和溯源码。平台方面回应称，已对相关商品作下架处理，并根据消费者举证启动赔付流程，对主播账号作出扣除信用分、限制带货的处罚。

业内人士认为，腰部主播粉丝黏性强，但选品和品控能力参差不齐，一旦为了压低成本更换货源，很容易透支多年积累的信任。对地方来说，与其依赖个别主播，不如建立授权主播名单和统一供货渠道，让“主播信誉”和“产地信誉”互相约束。
"""),
    ("07_平顺小米调价.txt", """平顺小米合作社上调售价 “性价比”口碑经受考验

6月29日起，山西平顺县一家小米合作社在微信小程序和快手直播间同步上调售价：1公斤装由19.9元调整为22.9元，2.5公斤装由45.9元调整为52.9元。调价消息一出，评论区出现了“怎么涨价了”“老顾客寒心”等声音。

合作社负责人解释，今年春季以来，种子、化肥和人工成本上涨，加上包装改用真空袋、增加溯源码，每公斤成本增加了两元多。“我们之前的价格确实压得很低，再不调，合作社就要亏本给农户结账了。”她说，调价前应该提前向消费者说明，这一点做得不够，随后在直播中专门讲解了成本构成。

平顺小米生长在太行山区，昼夜温差大，熬粥有米油，一直是合作社的“口碑产品”。从评论来看，绝大多数消费者对品质的评价依然较高，“性价比”“实惠”“熬粥香”等词反复出现。调价后的两三周里，价格方面的抱怨明显增多，但此后逐渐平息，部分消费者留言称“价格虽然涨了一点，但品质对得起”。

从销量看，调价后合作社每日订单小幅下降，但整体保持平稳。与其他依赖头部主播“爆单”的产品不同，平顺小米的销售主要依靠合作社自己的小程序和固定的直播时段，客户以回头客为主。

农业经济研究者认为，农产品直播不能只拼低价。“价格战打到最后，吃亏的是农户，受伤的是品质。”合理的定价、透明的成本说明和稳定的品质，才是县域农产品建立长期口碑的基础。
"""),
    ("08_直播带货监管.txt", """农产品直播带货进入“强监管”阶段 投诉处理和抽检成常态

随着直播带货成为县域农产品的重要销售渠道，平台和监管部门的管理也在加码。今年夏天，多家直播平台更新了农产品类目规则，要求食品类商品上架前提交生产许可和检测报告，发酵食品、生鲜水果等高风险品类须标注储运条件。

从消费者投诉情况看，质量问题、货不对板和物流售后是三大集中领域。7月中旬雷山鱼酱胀罐漏液事件中，大量消费者通过12315和平台客服投诉，要求市场监管部门抽检；8月中旬多伦香菇干个别主播被指以次充好，平台下架商品并扣除主播信用分。业内人士注意到，消费者在评论区主动留言“已投诉”“要求抽检”的情况明显增多，评论区本身已成为监管线索的重要来源。

一些地方开始尝试把评论数据用于日常监测。某县电商服务中心工作人员介绍，他们每周汇总各直播间的评论，统计负面评价比例，一旦某款产品或某个主播的投诉类评论在一周内明显上升，就会联系合作社和主播核实情况。“消费者的抱怨往往比销量下滑早一到两周出现，及早发现，就能在销量大幅下滑之前介入。”

不过，也有专家提醒，监管不能“一刀切”。农产品天然存在个体差异，部分差评源于对产品的不了解，比如蜂蜜结晶、茶叶口感等。监管的重点应放在食品安全、虚假宣传和欺诈行为上，同时为合作社、小农户提供检测、包装和物流方面的服务。

“直播平台对产品质量起到了倒逼作用。”一位县商务部门负责人说，“越是宣传得火，质量越要保证。”
"""),
    ("09_主播信任与县域电商.txt", """头部、腰部还是县长自己播？县域农产品直播的信任账

一个夏天下来，县域农产品直播的几组数据耐人寻味。城步蜂蜜三场头部主播专场，每场当天销量都达到平日的五到十倍，但热度通常在一周左右回落；雷山银球茶没有一场“爆单”，却靠稳定的直播节奏和品牌故事实现了每周约3%的增长；而鱼酱和香菇干的经历则说明，信任一旦受损，销量下滑往往滞后一两周才出现，恢复则需要更长时间。

头部主播粉丝多、议价能力强，能让一个陌生的县名在一晚上被几百万人看到。但头部专场价格低、佣金高，农户实际收益有限，而且消费者更多是冲着主播来的。腰部主播流量稳定，与粉丝关系更近，但选品把关能力差异很大，一名腰部主播被指货不对板后，其所售商品销量在随后几周明显下滑。尾部的合作社账号和小程序店铺流量小，却承担了大部分回头客的订单。

县长、副县长走进直播间，则为产品加上了一层“公信力”。评论区里，“冲着县长来的”“县长说话实在”是常见留言，但也有人追问“县长带货有没有收坑位费”。多位受访者认为，官员直播的意义不在于卖多少货，而在于把产地、标准和监管讲清楚，并在出现问题时第一时间站出来回应。

从评论数据看，消费者对“原产地”“地理标志”“检测报告”的关注度越来越高。区域公用品牌把分散的农户和合作社整合在同一个名字下，也把每个主播、每个批次的质量风险联系在了一起。如何把网红带来的流量转化为对产品本身的信任，是县域电商接下来要回答的问题。
"""),
]


# --------------------------------------------------------------------------
# Comments
# --------------------------------------------------------------------------

def load_pool(path: Path = POOL) -> list[dict]:
    with path.open("rb") as fh:
        groups = tomllib.load(fh)["group"]
    seen: dict[str, str] = {}
    for g in groups:
        g["items"] = [line.strip() for line in g["texts"].splitlines() if line.strip()]
        for t in g["items"]:
            if t in seen:
                raise ValueError(f"duplicate text in pool: {t!r} ({seen[t]} / {g['name']})")
            seen[t] = g["name"]
        if g["timing"] == "weeks" and len(g["weeks"]) != N_WEEKS:
            raise ValueError(f"group {g['name']}: weeks needs {N_WEEKS} weights")
    return groups


def quotas(n: int, weights: list[float]) -> list[int]:
    """Split n items over len(weights) bins (largest remainder)."""
    total = float(sum(weights))
    raw = [n * w / total for w in weights]
    q = [int(math.floor(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - q[i]), i))
    for i in order[: n - sum(q)]:
        q[i] += 1
    return q


def hinted(text: str) -> tuple[set[str], set[str]]:
    streamers = {s for s, (_, hints) in STREAMERS.items() if any(h in text for h in hints)}
    channels = {c for h, c in CHANNEL_HINTS.items() if h in text}
    return streamers, channels


def candidate_routes(product: str, text: str, allowed: list[str] | None) -> list[tuple]:
    routes = [r for r in ROUTES if r[0] == product and r[3] is not None]
    if allowed:
        routes = [r for r in routes if r[1] in allowed]
    streamers, channels = hinted(text)
    if streamers:
        narrowed = [r for r in routes if r[1] in streamers]
        if not narrowed:
            raise ValueError(f"no route for {product} / {text!r} (hints {streamers})")
        routes = narrowed
    if channels:
        narrowed = [r for r in routes if r[2] in channels]
        if not narrowed:
            raise ValueError(f"no channel route for {product} / {text!r} (hints {channels})")
        routes = narrowed
    return routes


def live_time(rng: random.Random, channel: str) -> str:
    if channel == "微信小程序":   # shop reviews: any time of the waking day
        hour = rng.choices(range(7, 24), weights=[1, 2, 2, 2, 2, 3, 3, 2, 2, 2, 2, 3, 4, 5, 5, 4, 3])[0]
    else:                         # live rooms: mostly the evening session
        hour = rng.choices([11, 12, 13, 18, 19, 20, 21, 22, 23], weights=[1, 2, 1, 2, 5, 9, 9, 6, 2])[0]
    return f"{hour:02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"


def spike_time(rng: random.Random, offset: int) -> str:
    if offset == 0:                # the special runs 20:00-22:30
        minute = rng.randrange(19 * 60 + 50, 22 * 60 + 40)
    else:                          # replays and shop window the next days
        minute = rng.randrange(9 * 60, 23 * 60 + 50)
    return f"{minute // 60:02d}:{minute % 60:02d}:{rng.randrange(60):02d}"


def build_comments(groups: list[dict]) -> pd.DataFrame:
    rng = random.Random(SEED)
    rows: list[dict] = []
    product_weight = {p: 0 for p in PRODUCTS}
    for g in groups:
        if g["product"] in product_weight:
            product_weight[g["product"]] += len(g["items"])

    for g in groups:
        items = [t for t in g["items"] for _ in range(g.get("uses", 1))]
        rng.shuffle(items)
        base = dict(sentiment=g["sentiment"], topic=g["topic"], group=g["name"])

        if g["timing"] == "spike":
            for text in items:
                streamers, channels = hinted(text)
                streamers.discard(SPIKE_COHOST)
                ok = [s for s in SPIKES if (not streamers or s[1] in streamers)
                      and (not channels or s[2] in channels)]
                if not ok:
                    raise ValueError(f"no spike fits {text!r}")
                day0, streamer, channel, _ = rng.choices(ok, weights=[s[3] for s in ok])[0]
                offset = rng.choices([0, 1, 2], weights=[80, 15, 5])[0]
                rows.append(dict(base, text=text, product=g["product"], listed=g["product"],
                                 streamer=streamer, platform=channel,
                                 date=day0 + dt.timedelta(days=offset),
                                 clock=spike_time(rng, offset)))
            continue

        q = quotas(len(items), g["weeks"])
        weeks = [w + 1 for w, k in enumerate(q) for _ in range(k)]
        for text, week in zip(items, weeks):
            product = g["product"]
            if product == "*":
                product = rng.choices(PRODUCTS, weights=[product_weight[p] for p in PRODUCTS])[0]
            routes = candidate_routes(product, text, g.get("streamers"))
            route = rng.choices(routes, weights=[r[4] for r in routes])[0]
            days = [START + dt.timedelta(days=7 * (week - 1) + wd) for wd in route[3]]
            rows.append(dict(base, text=text, product=product, listed=g.get("listed_as", product),
                             streamer=route[1], platform=route[2], date=rng.choice(days),
                             clock=live_time(rng, route[2])))

    for text, sent, product, streamer, channel, day, clock in AWKWARD:
        rows.append(dict(text=text, sentiment=sent, topic="awkward", group="awkward",
                         product=product, listed=product, streamer=streamer, platform=channel,
                         date=dt.date.fromisoformat(day), clock=clock))

    df = pd.DataFrame(rows)

    # spelling variants: ~3% of ordinary product rows carry an alias as listing
    # name, spread evenly over the aliases
    eligible = df.index[(df["group"] != "awkward") & (df["group"] != "chat")
                        & (df["listed"] == df["product"])]
    n_var = round(VARIANT_SHARE * len(df))
    per_alias = quotas(n_var, [1.0] * len(ALIASES))
    for (alias, canon), k in zip(ALIASES, per_alias):
        pool = [i for i in eligible if df.at[i, "product"] == canon and df.at[i, "listed"] == canon]
        for i in rng.sample(pool, k):
            df.at[i, "listed"] = alias

    df["time"] = [f"{d.isoformat()} {c}" for d, c in zip(df["date"], df["clock"])]
    df = df.sort_values(["time", "streamer", "text"], kind="mergesort").reset_index(drop=True)
    df["comment_id"] = [f"c{100001 + i}" for i in range(len(df))]
    df["week"] = [week_of(d) for d in df["date"]]
    df["score"] = df["sentiment"].map(SCORE)
    return df


# --------------------------------------------------------------------------
# Sales
# --------------------------------------------------------------------------

def sentiment_multipliers(comments: pd.DataFrame, beta: float = 0.6) -> dict:
    """Demand multiplier per (product, streamer, day) from comments 1-2 weeks earlier.

    Net sentiment (pos=+1, neg=-1, neu=0) is averaged over the window
    [day-13, day-6] (and, with less weight, a longer window [day-27, day-6] so
    that lost trust comes back slowly), shrunk towards the product's level in
    weeks 1-4, first per product and then per streamer.
    """
    k_product, k_streamer = 4.0, 3.0
    day_index = {d: i for i, d in enumerate(DAYS)}
    c = comments.assign(i=comments["date"].map(day_index))

    def daily(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        s = np.zeros(N_DAYS)
        n = np.zeros(N_DAYS)
        np.add.at(s, frame["i"].to_numpy(), frame["score"].to_numpy(dtype=float))
        np.add.at(n, frame["i"].to_numpy(), 1.0)
        return s, n

    def window(arr: np.ndarray, d: int, lo: int, hi: int) -> float:
        a, b = max(0, d - lo), d - hi
        return float(arr[a:b + 1].sum()) if b >= a else 0.0

    out = {}
    for p in PRODUCTS:
        cp = c[c["product"] == p]
        ref = float(cp.loc[cp["week"] <= 4, "score"].mean())
        s, n = daily(cp)
        prod_level = np.empty(N_DAYS)
        for d in range(N_DAYS):
            short = (window(s, d, 13, 6) + k_product * ref) / (window(n, d, 13, 6) + k_product)
            long_ = (window(s, d, 27, 6) + k_product * ref) / (window(n, d, 27, 6) + k_product)
            prod_level[d] = 0.6 * short + 0.4 * long_
        for streamer in {r[1] for r in ROUTES if r[0] == p}:
            ss, nn = daily(cp[cp["streamer"] == streamer])
            mult = np.empty(N_DAYS)
            for d in range(N_DAYS):
                level = (window(ss, d, 13, 6) + k_streamer * prod_level[d]) / (window(nn, d, 13, 6) + k_streamer)
                mult[d] = min(1.6, max(0.25, math.exp(beta * (level - ref))))
            out[(p, streamer)] = mult
    return out


def build_sales(comments: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    mult = sentiment_multipliers(comments)
    spike_days = {}
    for day0, streamer, channel, size in SPIKES:
        for off in range(SPIKE_WINDOW):
            spike_days[(day0 + dt.timedelta(days=off), streamer, channel)] = (off, size)

    rows = []
    for i, day in enumerate(DAYS):
        wd = day.weekday()
        # halo of the honey specials on the county account's own channels
        halo = 1.0
        for day0, *_ in SPIKES:
            off = (day - day0).days
            if 0 <= off <= 10:
                halo += 0.8 * math.exp(-off / 2.5)
        for product, streamer, channel, weekdays, base in ROUTES:
            spec1, spec2, ratio2 = SPEC_RATIO[product]
            special = None
            if weekdays is None:
                special = spike_days.get((day, streamer, channel))
                if special is None:
                    continue
            elif wd not in weekdays:
                continue
            trend = WEEKLY_TREND[product] ** (i / 7)
            m = mult[(product, streamer)][i]
            for spec, share in ((spec1, 1.0), (spec2, ratio2)):
                if special is not None:
                    off, size = special
                    spec_share = 1.0 if spec == spec1 else 0.30
                    mu = size * HONEY_DAY_300G * spec_share * math.exp(-off / SPIKE_DECAY_DAYS)
                else:
                    mu = base * share * WEEKDAY_FACTOR[wd] * trend * m
                    if product == "城步蜂蜜":
                        mu *= halo
                    if product == "平顺小米" and day >= MILLET_PRICE_RISE:
                        mu *= 0.93
                shape = 60.0 if special is not None else 16.0
                lam = mu * rng.gamma(shape, 1 / shape)
                units = int(rng.poisson(lam))
                price = PRICES[(product, spec)]
                if product == "平顺小米" and day >= MILLET_PRICE_RISE:
                    price = MILLET_NEW_PRICES[spec]
                if special is not None and special[0] <= 1:
                    factor = rng.uniform(0.84, 0.88)        # subsidised price of the special
                else:
                    factor = rng.uniform(0.95, 1.0)         # coupons and small discounts
                revenue = round(units * price * factor + 1e-9, 2)
                rows.append(dict(date=day.isoformat(), product=product, spec=spec, channel=channel,
                                 streamer=streamer, streamer_tier=STREAMERS[streamer][0],
                                 units=units, revenue=f"{revenue:.2f}"))
    df = pd.DataFrame(rows)
    order = {p: k for k, p in enumerate(PRODUCTS)}
    df = df.sort_values(["date", "product", "spec", "channel", "streamer"],
                        key=lambda col: col.map(order) if col.name == "product" else col,
                        kind="mergesort").reset_index(drop=True)
    return df


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def write_csv(path: Path, header: list[str], rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_all(comments: pd.DataFrame, sales: pd.DataFrame) -> None:
    DEMO.mkdir(parents=True, exist_ok=True)
    cols = ["comment_id", "time", "platform", "streamer", "listed", "text"]
    write_csv(DEMO / "comments.csv",
              ["comment_id", "time", "platform", "streamer", "product", "text"],
              comments[cols].itertuples(index=False, name=None))
    write_csv(DEMO / "sales.csv", list(sales.columns), sales.itertuples(index=False, name=None))
    write_csv(DEMO / "aliases.csv", ["alias", "product"], ALIASES)
    art = DEMO / "articles"
    art.mkdir(exist_ok=True)
    for old in art.glob("*.txt"):
        if old.name not in {name for name, _ in ARTICLES}:
            old.unlink()
    for name, text in ARTICLES:
        (art / name).write_text(text.strip() + "\n", encoding="utf-8")


def check(comments: pd.DataFrame, sales: pd.DataFrame) -> None:
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 30)
    print(f"comments: {len(comments)} rows, {comments['text'].nunique()} distinct texts")
    print(comments["sentiment"].value_counts(normalize=True).round(3).to_string())
    print("\nvariant / misspelt listings:")
    print(comments.loc[comments["listed"] != comments["product"], "listed"].value_counts().to_string())
    print("\nnet sentiment by week (own labels):")
    net = comments.pivot_table(index="week", columns="product", values="score", aggfunc="mean")
    print(net.round(2).to_string())
    print("\npositive share by week:")
    pos = comments.assign(p=comments["sentiment"].eq("pos")).pivot_table(
        index="week", columns="product", values="p", aggfunc="mean")
    print(pos.round(2).to_string())
    print("\ncomments per week:")
    print(comments.pivot_table(index="week", columns="product", values="score", aggfunc="size").to_string())

    s = sales.assign(week=[week_of(dt.date.fromisoformat(d)) for d in sales["date"]])
    print(f"\nsales: {len(s)} rows, units {s['units'].sum()}, revenue {s['revenue'].astype(float).sum():.2f}")
    print("\nweekly units:")
    print(s.pivot_table(index="week", columns="product", values="units", aggfunc="sum").to_string())
    print("\nhoney units by spec:")
    print(s[s["product"] == "城步蜂蜜"].groupby("spec")["units"].sum().to_string())
    print("\nhoney 300g daily units around the specials:")
    h = s[(s["product"] == "城步蜂蜜") & (s["spec"] == "300g")].groupby("date")["units"].sum()
    for day0, *_ in SPIKES:
        lo, hi = (day0 - dt.timedelta(days=3)).isoformat(), (day0 + dt.timedelta(days=8)).isoformat()
        print(" ", h[lo:hi].to_dict())
    print("\nmushroom weekly units by streamer:")
    m = s[s["product"] == "多伦香菇干"].pivot_table(index="week", columns="streamer", values="units", aggfunc="sum")
    print(m.to_string())
    print("\nlag correlation of weekly net sentiment and weekly units (per product, z-scored, pooled):")
    wk = s.groupby(["product", "week"])["units"].sum().unstack(0)
    for lag in range(0, 4):
        xs, ys = [], []
        for p in PRODUCTS:
            x = net[p].shift(lag)
            y = np.log(wk[p])
            y = y - np.polyval(np.polyfit(wk.index, y, 1), wk.index)
            ok = x.notna()
            xs += list((x[ok] - x[ok].mean()) / x[ok].std())
            ys += list((y[ok] - y[ok].mean()) / y[ok].std())
        print(f"  lag {lag} weeks: r = {np.corrcoef(xs, ys)[0, 1]:.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="print a summary of the generated data")
    args = ap.parse_args(argv)
    comments = build_comments(load_pool())
    sales = build_sales(comments)
    write_all(comments, sales)
    print(f"wrote {len(comments)} comments, {len(sales)} sales rows, "
          f"{len(ALIASES)} aliases, {len(ARTICLES)} articles to {DEMO}")
    if args.check:
        check(comments, sales)
    return 0


if __name__ == "__main__":
    sys.exit(main())
