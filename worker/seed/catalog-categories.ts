/**
 * @module seed/catalog-categories: the platform's three-level category tree for the demo (10 × 6 × 5 = 370).
 * Ids follow the position in the tree (`cat_1` → `cat_11` → `cat_111`; the tenth top level is `cat_10` → `cat_101`
 * → `cat_1011`), so they never change while the lists below only grow at the end of each level.
 */

/** Top level: [中文, English, level-2 lines]; a level-2 line is `中文 English: 中文 English, 中文 English, …`. */
const TREE: readonly (readonly [string, string, readonly string[]])[] = [
  [
    "家居",
    "Home & Living",
    [
      "收纳整理 Storage: 收纳盒 Storage boxes, 收纳袋 Storage bags, 衣架 Hangers, 置物架 Shelving, 真空压缩袋 Vacuum bags",
      "床上用品 Bedding: 四件套 Bedding sets, 枕头 Pillows, 被子 Duvets, 床垫 Mattress toppers, 毛毯 Blankets",
      "厨房用品 Kitchenware: 保温杯 Insulated bottles, 锅具 Cookware, 刀具 Knives, 餐具 Tableware, 保鲜盒 Food containers",
      "浴室用品 Bath: 毛巾 Towels, 浴巾 Bath towels, 牙刷 Toothbrushes, 浴室置物 Bath organisers, 拖鞋 Slippers",
      "家居装饰 Decor: 香薰 Home fragrance, 花盆 Planters, 装饰画 Wall art, 地毯 Rugs, 窗帘 Curtains",
      "清洁用品 Cleaning: 洗衣液 Laundry detergent, 拖把 Mops, 垃圾袋 Bin bags, 抹布 Cleaning cloths, 消毒液 Disinfectant",
    ],
  ],
  [
    "母婴",
    "Mother & Baby",
    [
      "尿裤湿巾 Diapers & wipes: 纸尿裤 Diapers, 拉拉裤 Pull-ups, 婴儿湿巾 Baby wipes, 隔尿垫 Changing pads, 尿布 Cloth diapers",
      "喂养用品 Feeding: 奶瓶 Baby bottles, 奶嘴 Teats, 辅食工具 Weaning tools, 吸奶器 Breast pumps, 儿童餐具 Kids' tableware",
      "奶粉辅食 Formula & baby food: 婴儿奶粉 Infant formula, 米粉 Rice cereal, 果泥 Fruit purées, 磨牙饼干 Teething biscuits, 儿童零食 Kids' snacks",
      "婴儿洗护 Baby care: 婴儿沐浴露 Baby wash, 婴儿润肤乳 Baby lotion, 护臀膏 Nappy cream, 婴儿洗衣液 Baby laundry detergent, 婴儿爽身粉 Baby powder",
      "童装童鞋 Kids' clothing: 连体衣 Rompers, 童装套装 Kids' outfits, 童鞋 Kids' shoes, 婴儿袜 Baby socks, 婴儿睡袋 Baby sleeping bags",
      "玩具 Toys: 积木 Building blocks, 毛绒玩具 Plush toys, 益智玩具 Educational toys, 洗澡玩具 Bath toys, 滑行车 Ride-on toys",
    ],
  ],
  [
    "美妆",
    "Beauty",
    [
      "面部护肤 Skincare: 面膜 Face masks, 洗面奶 Cleansers, 爽肤水 Toners, 精华 Serums, 面霜 Face creams",
      "彩妆 Makeup: 口红 Lipsticks, 粉底 Foundation, 眼影 Eyeshadow, 睫毛膏 Mascara, 腮红 Blush",
      "身体护理 Body care: 沐浴露 Body wash, 身体乳 Body lotion, 护手霜 Hand cream, 磨砂膏 Body scrubs, 止汗露 Antiperspirants",
      "洗发护发 Hair care: 洗发水 Shampoo, 护发素 Conditioner, 发膜 Hair masks, 护发精油 Hair oils, 染发剂 Hair dye",
      "防晒 Sun care: 防晒霜 Sunscreen, 防晒喷雾 Sunscreen sprays, 晒后修复 After-sun, 隔离霜 Primers, 防晒棒 Sun sticks",
      "卸妆与工具 Removers & tools: 卸妆水 Micellar water, 化妆棉 Cotton pads, 化妆刷 Makeup brushes, 美妆蛋 Beauty sponges, 睫毛夹 Eyelash curlers",
    ],
  ],
  [
    "食品",
    "Food & Grocery",
    [
      "生鲜 Fresh produce: 水果 Fruit, 蔬菜 Vegetables, 肉禽 Meat & poultry, 海鲜水产 Seafood, 蛋类 Eggs",
      "休闲零食 Snacks: 坚果 Nuts, 饼干糕点 Biscuits & pastries, 肉干 Jerky, 果干蜜饯 Dried fruit, 糖果巧克力 Sweets & chocolate",
      "粮油调味 Pantry: 大米 Rice, 食用油 Cooking oil, 面条 Noodles, 调味品 Condiments, 杂粮 Whole grains",
      "茶饮冲调 Tea & drinks: 茶叶 Tea, 咖啡 Coffee, 蜂蜜 Honey, 麦片 Oats & cereal, 花草茶 Herbal tea",
      "乳品饮料 Dairy & drinks: 牛奶 Milk, 酸奶 Yogurt, 果汁 Juice, 矿泉水 Mineral water, 气泡水 Sparkling water",
      "地方特产 Regional specialties: 腊味 Cured meats, 菌菇干货 Dried mushrooms, 糕点礼盒 Pastry gift boxes, 火锅底料 Hotpot bases, 酱菜 Pickles",
    ],
  ],
  [
    "数码",
    "Electronics",
    [
      "手机配件 Phone accessories: 手机壳 Phone cases, 充电器 Chargers, 数据线 Cables, 充电宝 Power banks, 手机支架 Phone stands",
      "音频设备 Audio: 蓝牙耳机 Wireless earbuds, 头戴耳机 Headphones, 音箱 Speakers, 麦克风 Microphones, 耳机配件 Earphone accessories",
      "电脑外设 Computer peripherals: 键盘 Keyboards, 鼠标 Mice, 显示器 Monitors, 摄像头 Webcams, 扩展坞 Docking stations",
      "存储设备 Storage devices: U盘 USB drives, 移动硬盘 Portable drives, 存储卡 Memory cards, 固态硬盘 SSDs, 读卡器 Card readers",
      "智能设备 Smart devices: 智能手表 Smartwatches, 手环 Fitness bands, 智能音箱 Smart speakers, 智能插座 Smart plugs, 智能门锁 Smart locks",
      "摄影摄像 Cameras: 相机 Cameras, 镜头 Lenses, 三脚架 Tripods, 运动相机 Action cameras, 相机包 Camera bags",
    ],
  ],
  [
    "服饰",
    "Apparel",
    [
      "女装 Women: 连衣裙 Dresses, 女士T恤 Women's T-shirts, 衬衫 Blouses, 半身裙 Skirts, 女士外套 Women's coats",
      "男装 Men: 男士T恤 Men's T-shirts, Polo衫 Polo shirts, 休闲裤 Chinos, 夹克 Jackets, 男士卫衣 Men's hoodies",
      "内衣家居服 Underwear & loungewear: 睡衣 Pyjamas, 内裤 Underwear, 袜子 Socks, 文胸 Bras, 保暖内衣 Thermal underwear",
      "鞋靴 Shoes: 运动鞋 Trainers, 帆布鞋 Canvas shoes, 凉鞋 Sandals, 靴子 Boots, 皮鞋 Leather shoes",
      "箱包 Bags: 双肩包 Backpacks, 手提包 Handbags, 钱包 Wallets, 行李箱 Suitcases, 腰包 Waist bags",
      "配饰 Accessories: 帽子 Hats, 围巾 Scarves, 手套 Gloves, 腰带 Belts, 太阳镜 Sunglasses",
    ],
  ],
  [
    "运动户外",
    "Sports & Outdoors",
    [
      "健身器材 Fitness: 瑜伽垫 Yoga mats, 哑铃 Dumbbells, 跳绳 Skipping ropes, 弹力带 Resistance bands, 筋膜枪 Massage guns",
      "运动服饰 Sportswear: 运动T恤 Sports tees, 运动裤 Joggers, 运动内衣 Sports bras, 速干衣 Quick-dry tops, 运动袜 Sports socks",
      "户外装备 Outdoor gear: 帐篷 Tents, 户外睡袋 Sleeping bags, 登山杖 Trekking poles, 登山包 Hiking backpacks, 头灯 Headlamps",
      "骑行 Cycling: 自行车 Bicycles, 骑行头盔 Cycling helmets, 骑行服 Cycling jerseys, 车灯 Bike lights, 码表 Bike computers",
      "球类运动 Ball sports: 篮球 Basketball, 足球 Football, 羽毛球 Badminton, 乒乓球 Table tennis, 网球 Tennis",
      "游泳 Swimming: 泳衣 Swimwear, 泳镜 Goggles, 泳帽 Swim caps, 游泳圈 Swim rings, 浮板 Kickboards",
    ],
  ],
  [
    "宠物",
    "Pets",
    [
      "宠物主粮 Pet food: 猫粮 Cat food, 狗粮 Dog food, 猫罐头 Canned cat food, 狗罐头 Canned dog food, 冻干 Freeze-dried food",
      "宠物零食 Pet treats: 猫条 Cat treat sticks, 磨牙棒 Dental chews, 肉干零食 Meat treats, 宠物饼干 Pet biscuits, 猫草 Cat grass",
      "宠物日用 Pet supplies: 猫砂 Cat litter, 猫砂盆 Litter boxes, 宠物窝 Pet beds, 食盆水碗 Bowls, 饮水机 Water fountains",
      "宠物洗护 Pet grooming: 宠物沐浴露 Pet shampoo, 宠物梳 Grooming combs, 指甲剪 Nail clippers, 除臭剂 Odour removers, 宠物湿巾 Pet wipes",
      "宠物出行 Pet travel: 牵引绳 Leads, 航空箱 Pet carriers, 宠物背包 Pet backpacks, 项圈 Collars, 宠物推车 Pet strollers",
      "宠物玩具 Pet toys: 逗猫棒 Cat teasers, 猫爬架 Cat trees, 狗狗玩具 Dog toys, 漏食球 Treat balls, 猫抓板 Scratchers",
    ],
  ],
  [
    "家电",
    "Home Appliances",
    [
      "厨房电器 Kitchen appliances: 电饭煲 Rice cookers, 空气炸锅 Air fryers, 电水壶 Electric kettles, 破壁机 Blenders, 微波炉 Microwaves",
      "生活电器 Household appliances: 吸尘器 Vacuum cleaners, 电风扇 Fans, 加湿器 Humidifiers, 空气净化器 Air purifiers, 挂烫机 Garment steamers",
      "个护电器 Personal care: 电吹风 Hair dryers, 电动牙刷 Electric toothbrushes, 剃须刀 Shavers, 卷发棒 Curling irons, 美容仪 Beauty devices",
      "大家电 Major appliances: 冰箱 Refrigerators, 洗衣机 Washing machines, 空调 Air conditioners, 电视 Televisions, 热水器 Water heaters",
      "清洁电器 Cleaning appliances: 扫地机器人 Robot vacuums, 洗地机 Wet-dry vacuums, 除螨仪 Mite removers, 蒸汽拖把 Steam mops, 擦窗机器人 Window robots",
      "健康电器 Health appliances: 按摩仪 Massagers, 体重秤 Scales, 血压计 Blood pressure monitors, 足浴盆 Foot spas, 理疗仪 Therapy devices",
    ],
  ],
  [
    "图书文具",
    "Books & Stationery",
    [
      "童书 Children's books: 绘本 Picture books, 儿童文学 Children's fiction, 少儿科普 Science for kids, 早教启蒙 Early learning, 少儿英语 English for kids",
      "文学小说 Fiction: 小说 Novels, 散文随笔 Essays, 诗歌 Poetry, 悬疑推理 Mysteries, 科幻奇幻 Sci-fi & fantasy",
      "社科经管 Non-fiction: 历史 History, 心理学 Psychology, 经济管理 Business, 哲学 Philosophy, 传记 Biographies",
      "书写工具 Writing: 中性笔 Gel pens, 钢笔 Fountain pens, 铅笔 Pencils, 马克笔 Markers, 荧光笔 Highlighters",
      "本册纸张 Paper: 笔记本 Notebooks, 便利贴 Sticky notes, 手账本 Planners, 打印纸 Printer paper, 信封 Envelopes",
      "办公用品 Office supplies: 文件夹 Folders, 订书机 Staplers, 计算器 Calculators, 桌面收纳 Desk organisers, 白板 Whiteboards",
    ],
  ],
];

export interface SeedCategory {
  id: string;
  parentId: string | null;
  level: 1 | 2 | 3;
  nameZh: string;
  nameEn: string;
  sort: number;
  path: string;
}

/** `面膜 Face masks` → ["面膜", "Face masks"]: Chinese names never contain a space, English ones may. */
function names(text: string): [string, string] {
  const trimmed = text.trim();
  const space = trimmed.indexOf(" ");
  if (space < 0) throw new Error(`category "${trimmed}" needs a Chinese and an English name`);
  return [trimmed.slice(0, space), trimmed.slice(space + 1)];
}

/** Every category, parents before children. */
export function demoCategories(): SeedCategory[] {
  const out: SeedCategory[] = [];
  TREE.forEach(([topZh, topEn, lines], i) => {
    const top = `cat_${i + 1}`;
    out.push({ id: top, parentId: null, level: 1, nameZh: topZh, nameEn: topEn, sort: i + 1, path: `/${top}/` });
    lines.forEach((line, j) => {
      const [head = "", leaves = ""] = line.split(": ");
      const [zh, en] = names(head);
      const mid = `${top}${j + 1}`;
      out.push({ id: mid, parentId: top, level: 2, nameZh: zh, nameEn: en, sort: j + 1, path: `/${top}/${mid}/` });
      leaves.split(", ").forEach((leaf, k) => {
        const [leafZh, leafEn] = names(leaf);
        const id = `${mid}${k + 1}`;
        const path = `/${top}/${mid}/${id}/`;
        out.push({ id, parentId: mid, level: 3, nameZh: leafZh, nameEn: leafEn, sort: k + 1, path });
      });
    });
  });
  return out;
}
