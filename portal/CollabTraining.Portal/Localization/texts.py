# Source of Text.resx and Text.zh-Hans.resx: python3 texts.py regenerates both (keys in one place, never out of step).
T = [
 ("AppName", "CollabTraining", "CollabTraining 协同培养平台"),
 ("SignIn", "Sign in", "登录"),
 ("SignOut", "Sign out", "退出登录"),
 ("SignInTitle", "Sign in to CollabTraining", "登录 CollabTraining"),
 ("SignInIntro", "Development sign-in: choose a demo user. You act with that user's organisation and roles.", "开发环境登录：请选择一个演示用户。您将以该用户的机构和角色进行操作。"),
 ("SignInWithOrganisation", "Sign in with your organisation", "使用所在机构账号登录"),
 ("SignInProductionIntro", "You sign in with your organisation's account.", "请使用所在机构的账号登录。"),
 ("SessionExpired", "Your session has ended; sign in again.", "您的会话已结束，请重新登录。"),
 ("TooManySignIns", "Too many sign-ins from your address; try again in {0} s.", "您的地址登录次数过多，请在 {0} 秒后重试。"),
 ("UnknownUser", "That demo user does not exist.", "该演示用户不存在。"),
 ("SignInFailed", "Your organisation's sign-in did not complete; sign in again.", "机构账号登录未完成，请重新登录。"),
 ("SignInUnavailable", "Sign-in is not available right now; try again in a moment.", "登录暂时不可用，请稍后重试。"),
 ("Language", "Language", "语言"),
 ("LanguageEnglish", "English", "English"),
 ("LanguageChinese", "中文", "中文"),
 ("OpenNavigation", "Open or close the navigation menu", "打开或关闭导航菜单"),
 ("Navigation", "Navigation", "导航"),
 ("SignedInAs", "Signed in as {0}, {1}", "当前用户：{0}，{1}"),
 ("OrgKind_school", "School", "医学院"),
 ("OrgKind_hospital", "Hospital", "医院"),
 ("OrgKind_institute", "Research institute", "研究所"),
 ("OrgKind_enterprise", "Enterprise", "企业"),
 ("Role_coordinator", "Coordinator", "协调员"),
 ("Role_teacher", "Teacher", "教师"),
 ("Role_mentor", "Mentor", "导师"),
 ("Role_student", "Student", "学生"),
 ("Role_staff", "Staff", "职员"),
 ("Role_admin", "Administrator", "管理员"),
 ("Nav_Catalog", "Catalog", "共享目录"),
 ("NavSection_Student", "My training", "我的培养"),
 ("NavSection_Hospital", "Our hospital", "本院"),
 ("NavSection_ResourceOwner", "Our organisation", "本机构"),
 ("NavSection_School", "School", "医学院"),
 ("Nav_OurMentors", "Our engineering mentors", "本机构工程导师"),
 ("Nav_PartnerResources", "Partners' resources", "合作方资源"),
 ("Nav_MyCalendar", "My calendar", "我的日程"),
 ("Nav_PlacementRounds", "Placement rounds", "实习轮次"),
 ("Nav_MyPlacement", "My placement", "我的实习"),
 ("Nav_MyHours", "My hours", "我的学时"),
 ("Nav_TrainingRecord", "My training record", "我的培养档案"),
 ("Nav_BookResource", "Book a resource", "预约资源"),
 ("Nav_MyBookings", "My bookings and waitlist", "我的预约与候补"),
 ("Nav_MyProjects", "My projects", "我的项目"),
 ("Nav_HospitalOffers", "Our placement offers", "本院实习岗位"),
 ("Nav_HospitalAssignments", "Assignments", "实习分配"),
 ("Nav_HospitalMentors", "Clinical mentors", "临床导师"),
 ("Nav_HospitalEvaluations", "Evaluations", "实习评价"),
 ("Nav_HospitalHours", "Hours to approve", "待审批学时"),
 ("Nav_OwnerResources", "Our resources", "本机构资源"),
 ("Nav_OwnerApprovals", "Approvals and check-in", "审批与签到"),
 ("Nav_OwnerMentorRequests", "Mentor requests", "导师申请"),
 ("Nav_SchoolRounds", "Placement rounds", "实习轮次"),
 ("Nav_SchoolProjects", "Projects and bundles", "项目与资源包"),
 ("Nav_SchoolModules", "Modules", "培训模块"),
 ("Nav_SchoolStudents", "Students", "学生"),
 ("Nav_SchoolDashboards", "Dashboards", "数据看板"),
 ("Notifications", "Notifications", "通知"),
 ("NotificationsUnread", "Notifications, {0} unread", "通知，{0} 条未读"),
 ("MarkRead", "Mark read", "标为已读"),
 ("MarkAllRead", "Mark all read", "全部标为已读"),
 ("NoNotifications", "You have no notifications.", "暂无通知。"),
 ("Close", "Close", "关闭"),
 ("Catalog", "Catalog", "共享目录"),
 ("CatalogIntro", "Placements, resources and mentors every partner shares.", "各合作方共享的临床实习岗位、资源和导师。"),
 ("Tab_Placements", "Placements", "临床实习"),
 ("Tab_Resources", "Resources", "资源"),
 ("Tab_Mentors", "Mentors", "导师"),
 ("Search", "Search", "搜索"),
 ("SearchPlacementsHelp", "Title, department, specialty or hospital", "标题、科室、专科或医院"),
 ("SearchResourcesHelp", "Name, model, description or owner", "名称、型号、描述或所属机构"),
 ("SearchMentorsHelp", "Name, organisation or expertise", "姓名、机构或专长"),
 ("Hospital", "Hospital", "医院"),
 ("AllHospitals", "All hospitals", "全部医院"),
 ("Specialty", "Specialty", "专科"),
 ("SpecialtyHelp", "Exact code, e.g. cardiology", "专科代码，例如 cardiology"),
 ("PeriodFrom", "From", "开始日期"),
 ("PeriodTo", "To", "结束日期"),
 ("ShowClosed", "Show closed and withdrawn offers", "显示已关闭和已撤回的岗位"),
 ("Title", "Title", "标题"),
 ("Department", "Department", "科室"),
 ("Period", "Period", "时间"),
 ("Seats", "Seats", "名额"),
 ("Requirements", "Requirements", "要求"),
 ("MinimumYear", "Year {0}+", "{0} 年级及以上"),
 ("AnyStudent", "Any student", "不限"),
 ("Closed", "Closed", "已关闭"),
 ("Withdrawn", "Withdrawn", "已撤回"),
 ("NoPlacements", "No placement offers match.", "没有符合条件的实习岗位。"),
 ("Kind", "Kind", "类型"),
 ("AllKinds", "All kinds", "全部类型"),
 ("Kind_computePool", "Compute pool", "算力池"),
 ("Kind_device", "Device", "设备"),
 ("Kind_equipment", "Lab equipment", "实验仪器"),
 ("Kind_mentor", "Mentor", "导师"),
 ("Owner", "Owner", "所属机构"),
 ("AllOwners", "All organisations", "全部机构"),
 ("Name", "Name", "名称"),
 ("Model", "Model", "型号"),
 ("Capacity", "Capacity", "容量"),
 ("RequiredQualifications", "Required qualifications", "所需资质"),
 ("ApprovalRequired", "Needs approval", "需审批"),
 ("NoResources", "No resources match.", "没有符合条件的资源。"),
 ("Organisation", "Organisation", "机构"),
 ("Expertise", "Expertise", "专长"),
 ("ProjectCapacity", "Projects at once", "可同时指导项目数"),
 ("NoMentors", "No mentors match.", "没有符合条件的导师。"),
 ("RowsPerPage", "Rows per page", "每页行数"),
 ("PagerInfo", "{first_item}-{last_item} of {all_items}", "第 {first_item}-{last_item} 条，共 {all_items} 条"),
 ("Loading", "Loading…", "加载中…"),
 ("NotFound", "Not found", "未找到"),
 ("NotFoundText", "There is nothing at this address.", "此地址没有内容。"),
 ("Forbidden", "Not allowed", "无权访问"),
 ("ForbiddenText", "Your role does not let you see this page.", "您的角色无权查看此页面。"),
 ("Error", "Something went wrong", "出错了"),
 ("ErrorText", "The page could not be shown. Reload it, or come back in a moment.", "页面无法显示。请刷新，或稍后再试。"),
 ("BackToCatalog", "Back to the catalog", "返回共享目录"),
]
import glob, html, os, runpy
# Each area of the portal keeps its texts in its own texts_<area>.py beside this file (a list T of the same triples).
here = os.path.dirname(os.path.abspath(__file__))
for extra in sorted(glob.glob(os.path.join(here, "texts_*.py"))):
    T = T + runpy.run_path(extra)["T"]
seen = set()
for k, *_ in T:
    if k in seen:
        raise SystemExit(f"text key {k} is defined twice")
    seen.add(k)
os.chdir(here)
def write(path, idx):
    rows = "\n".join(f'  <data name="{k}" xml:space="preserve">\n    <value>{html.escape(v[idx-1], quote=False)}</value>\n  </data>' for k, *v in T)
    open(path, "w", encoding="utf-8").write(f'''<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by texts.py beside this file: change the texts there. -->
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
{rows}
</root>
''')
write("Text.resx", 1)
write("Text.zh-Hans.resx", 2)
