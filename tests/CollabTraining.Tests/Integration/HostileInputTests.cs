using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Demo;
using CollabTraining.Organisations.Mentoring;
using CollabTraining.School.Data;
using CollabTraining.School.Modules;
using CollabTraining.School.Notifications;
using CollabTraining.School.Projects;
using CollabTraining.School.Showcase;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// A hostile client against the school's projects, bundles, modules, showcase, ledger, notifications, student
/// import and mentor requests: malformed and mistyped JSON, null elements, the all-zero and unknown ids, extreme
/// numbers, dates and lengths, values that name nothing, paging out of range, and other parties' resources.
/// Every case is a 4xx problem (never a 5xx) and a refused write changes nothing anywhere.
/// </summary>
public sealed class HostileInputTests(SchoolCohortFactory factory) : IClassFixture<SchoolCohortFactory>
{
    private const string Unknown = "5b0d7c52-9f43-4e0a-8b7e-1f2a3c4d5e6f";
    private const string Empty = "00000000-0000-0000-0000-000000000000";
    private static readonly string Long = new('x', 10_000);
    private static readonly Guid Resource = Guid.Parse("0195f3a2-7c1e-7d4b-9a51-3f0c2e8b1d47");

    /// <summary>(who, method, path, JSON body or null, expected status). Placeholders are filled in by <see cref="FillAsync"/>.</summary>
    public static TheoryData<string, string, string, string?, int> Writes => new()
    {
        // Projects
        { "coordinator", "POST", "/api/school/projects", "{", 400 },
        { "coordinator", "POST", "/api/school/projects", "", 400 },
        { "coordinator", "POST", "/api/school/projects", "[]", 400 },
        { "coordinator", "POST", "/api/school/projects", """{"title":5,"theme":"AI","studentIds":["{student}","{other}"]}""", 400 },
        { "coordinator", "POST", "/api/school/projects", """{"title":"Hostile","theme":"AI","studentIds":{}}""", 400 },
        { "coordinator", "POST", "/api/school/projects", """{"title":"Hostile","theme":"AI","studentIds":"{student}"}""", 400 },
        { "coordinator", "POST", "/api/school/projects", """{"title":"Hostile","theme":"AI","studentIds":[null]}""", 400 },
        { "coordinator", "POST", "/api/school/projects", """{"title":"Hostile","theme":"AI","studentIds":[1e308,-1]}""", 400 },
        { "coordinator", "POST", "/api/school/projects", "{\"title\":" + new string('[', 1000) + new string(']', 1000) + "}", 400 },
        { "coordinator", "POST", "/api/school/projects", """{"title":"Hostile","theme":"AI","studentIds":["{empty}","{other}"]}""", 400 },
        { "coordinator", "POST", "/api/school/projects", """{"title":"Hostile","theme":"AI","studentIds":["{unknown}","{other}"]}""", 400 },
        { "coordinator", "POST", "/api/school/projects", """{"title":"{long}","theme":"AI","studentIds":["{student}","{other}"]}""", 400 },
        { "coordinator", "POST", "/api/school/projects", """{"title":"Hostile","theme":"AI","summary":"{long}","studentIds":["{student}","{other}"]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/mentors", "{", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/mentors", """{"role":"dragon","mentorUserId":"{unknown}"}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/mentors", """{"role":5,"mentorUserId":"{unknown}"}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/mentors", """{"role":"engineering","mentorUserId":"{unknown}"}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/mentors", """{"role":"clinical","mentorUserId":"{unknown}","service":"school","name":"{long}"}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/mentors", """{"role":"clinical","mentorUserId":"{unknown}","service":"moon","name":"Dr Moon"}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/mentors", """{"role":"clinical","mentorUserId":"{unknown}","service":"hospitals","name":"Dr H","organisationId":"{empty}"}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/mentors", """{"role":"clinical","mentorUserId":"{unknown}","service":"school","name":"Dr T","answerWithinDays":2147483647}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/mentors", """{"role":"clinical","mentorUserId":"{unknown}","service":"school","name":"Dr T","answerWithinDays":-1}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/mentors", """{"role":"clinical","mentorUserId":"{unknown}","service":"school","name":"Dr T","answerWithinDays":"seven"}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{unknown}/mentors", """{"role":"clinical","mentorUserId":"{unknown}","service":"school","name":"Dr T"}""", 404 },
        { "coordinator", "POST", "/api/school/projects/{empty}/mentors", """{"role":"clinical","mentorUserId":"{unknown}","service":"school","name":"Dr T"}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/approve", "{", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/approve", "", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/approve", """{"gpuHours":"lots","equipmentHours":1}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/approve", """{"gpuHours":1,"equipmentHours":1,"milestones":[null]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/approve", """{"gpuHours":1,"equipmentHours":1,"milestones":{}}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/approve", """{"gpuHours":1,"equipmentHours":1,"milestones":[{"title":"{long}","dueOn":"2030-01-01"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/approve", """{"gpuHours":1,"equipmentHours":1,"milestones":[{"title":"Go","dueOn":"not a date"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{handover}/approve", """{"gpuHours":1e309,"equipmentHours":1}""", 409 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/approve", """{"gpuHours":1,"equipmentHours":1}""", 409 },
        { "outsider", "POST", "/api/school/projects/{handover}/approve", """{"gpuHours":1,"equipmentHours":1}""", 403 },
        { "member", "POST", "/api/school/projects/{sepsis}/cancel", null, 403 },
        { "coordinator", "PUT", "/api/school/projects/{sepsis}/budget", """{"gpuHours":1e308,"equipmentHours":1}""", 400 },
        { "coordinator", "PUT", "/api/school/projects/{sepsis}/budget", """{"gpuHours":1e309,"equipmentHours":1}""", 400 },
        { "coordinator", "PUT", "/api/school/projects/{sepsis}/budget", """{"gpuHours":200,"equipmentHours":-1}""", 400 },
        { "coordinator", "PUT", "/api/school/projects/{sepsis}/budget", """{"gpuHours":-1e308,"equipmentHours":1}""", 400 },
        { "coordinator", "PUT", "/api/school/projects/{sepsis}/budget", """{"gpuHours":"200","equipmentHours":40}""", 400 },
        { "coordinator", "PUT", "/api/school/projects/{sepsis}/budget", """{"gpuHours":null,"equipmentHours":40}""", 400 },
        { "coordinator", "PUT", "/api/school/projects/{handover}/budget", """{"gpuHours":1,"equipmentHours":1}""", 409 },
        { "coordinator", "POST", "/api/school/projects/{unknown}/cancel", null, 404 },
        { "coordinator", "POST", "/api/school/projects/{handover}/complete", null, 409 },
        { "coordinator", "DELETE", "/api/school/projects/{handover}/mentors/{unknown}", null, 404 },
        { "coordinator", "DELETE", "/api/school/projects/{handover}/mentors/{empty}", null, 400 },
        { "coordinator", "POST", "/api/school/tracks", """{"title":"{long}","theme":"AI"}""", 400 },
        { "coordinator", "POST", "/api/school/tracks", """{"title":["a"],"theme":"AI"}""", 400 },
        { "coordinator", "POST", "/api/school/tracks/{unknown}/projects", """{"projectId":"{handover}"}""", 404 },
        { "coordinator", "POST", "/api/school/tracks/{track}/projects", """{"projectId":null}""", 400 },
        { "coordinator", "POST", "/api/school/tracks/{track}/projects", """{"projectId":"{unknown}"}""", 404 },

        // Bundles
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", "{", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", "", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[null]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":{}}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"units":1,"start":"{start}","end":"{end}","userId":"{member}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":2147483647,"start":"{start}","end":"{end}","userId":"{member}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":-1,"start":"{start}","end":"{end}","userId":"{member}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":"one","start":"{start}","end":"{end}","userId":"{member}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"0001-01-01T00:00:00Z","end":"{end}","userId":"{member}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"{start}","end":"9999-12-31T23:59:59Z","userId":"{member}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"0001-01-01T00:00:00+05:00","end":"{end}","userId":"{member}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"9999-12-31T23:00:00Z","end":"9999-12-31T23:59:59Z","userId":"{member}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"{end}","end":"{start}","userId":"{member}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{unknown}","units":1,"start":"{start}","end":"{end}","userId":"{member}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"{start}","end":"{end}","userId":"{unknown}"}]}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"{start}","end":"{end}","userId":"{member}"}],"answerWithinSeconds":2147483647}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"{start}","end":"{end}","userId":"{member}"}],"answerWithinSeconds":-5}""", 400 },
        { "coordinator", "POST", "/api/school/projects/{unknown}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"{start}","end":"{end}"}]}""", 404 },
        { "outsider", "POST", "/api/school/projects/{sepsis}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"{start}","end":"{end}"}]}""", 404 },
        { "coordinator", "POST", "/api/school/projects/{handover}/bundles", """{"parts":[{"resourceId":"{resource}","units":1,"start":"{start}","end":"{end}","userId":"{handoverMember}"}]}""", 409 },

        // Modules
        { "coordinator", "POST", "/api/school/modules", "{", 400 },
        { "coordinator", "POST", "/api/school/modules", "", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":"ten","teachers":[]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":2147483647,"teachers":[{teacherJson}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":-1,"teachers":[{teacherJson}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":[null]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":{}}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":[{teacherJson}],"grants":[null]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":[{teacherJson}],"grants":[{"code":"dragon-taming","validityDays":30}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":[{teacherJson}],"grants":[{"code":"{grant}","validityDays":2147483647}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":[{teacherJson}],"grants":[{"code":"{grant}","validityDays":-1}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"dragons","capacity":10,"teachers":[{teacherJson}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"{long}","group":"core","capacity":10,"teachers":[{teacherJson}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"{long}","title":"Hostile","group":"core","capacity":10,"teachers":[{teacherJson}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"description":"{long}","teachers":[{teacherJson}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":[{"userId":"{unknown}","name":"T","organisationId":"{unknown}","organisationKind":"dragon"}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":[{"userId":"{unknown}","name":"{long}","organisationId":"{unknown}","organisationKind":"school"}]}""", 400 },
        { "coordinator", "PUT", "/api/school/modules/{module}", "{", 400 },
        { "coordinator", "PUT", "/api/school/modules/{module}", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":[null]}""", 400 },
        { "coordinator", "PUT", "/api/school/modules/{module}", """{"code":"hostile","title":"Hostile","group":"core","capacity":1,"teachers":[{teacherJson}]}""", 409 },
        { "coordinator", "PUT", "/api/school/modules/{unknown}", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":[{teacherJson}]}""", 404 },
        { "coordinator", "PUT", "/api/school/modules/{empty}", """{"code":"hostile","title":"Hostile","group":"core","capacity":10,"teachers":[{teacherJson}]}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/classes", "{", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/classes", """{"startsAt":"0001-01-01T00:00:00Z","endsAt":"0001-01-01T01:00:00Z","location":"Room 1","teacherId":"{teacher}"}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/classes", """{"startsAt":"{start}","endsAt":"9999-12-31T23:59:59Z","location":"Room 1","teacherId":"{teacher}"}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/classes", """{"startsAt":"9999-12-31T22:00:00Z","endsAt":"9999-12-31T23:59:59Z","location":"Room 1","teacherId":"{teacher}"}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/classes", """{"startsAt":"{end}","endsAt":"{start}","location":"Room 1","teacherId":"{teacher}"}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/classes", """{"startsAt":"{start}","endsAt":"{end}","location":"{long}","teacherId":"{teacher}"}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/classes", """{"startsAt":"{start}","endsAt":"{end}","location":"Room 1","teacherId":"{unknown}"}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/classes", """{"startsAt":20240101,"endsAt":"{end}","location":"Room 1","teacherId":"{teacher}"}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{unknown}/classes", """{"startsAt":"{start}","endsAt":"{end}","location":"Room 1","teacherId":"{teacher}"}""", 404 },
        { "coordinator", "PUT", "/api/school/modules/{module}/classes/{unknown}", """{"startsAt":"{start}","endsAt":"{end}","location":"Room 1","teacherId":"{teacher}"}""", 404 },
        { "coordinator", "DELETE", "/api/school/modules/{module}/classes/{unknown}", null, 404 },
        { "coordinator", "POST", "/api/school/modules/{module}/enrolments", """{"studentId":"{unknown}"}""", 404 },
        { "coordinator", "POST", "/api/school/modules/{module}/enrolments", """{"studentId":null}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/enrolments", """{"studentId":5}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/enrolments", """{"studentId":"{empty}"}""", 400 },
        { "coordinator", "POST", "/api/school/modules/{module}/enrolments", """{"studentId":"{enrolled}"}""", 409 },
        { "outsider", "POST", "/api/school/modules/{unknown}/enrolments/me", null, 404 },
        { "outsider", "POST", "/api/school/modules/{empty}/enrolments/me", null, 400 },
        { "outsider", "POST", "/api/school/modules/{module}/enrolments", """{"studentId":"{student}"}""", 403 },
        { "coordinator", "PUT", "/api/school/modules/{module}/enrolments/{enrolled}/result", """{"passed":"yes"}""", 400 },
        { "coordinator", "PUT", "/api/school/modules/{module}/enrolments/{enrolled}/result", """{"passed":true,"score":2147483647}""", 400 },
        { "coordinator", "PUT", "/api/school/modules/{module}/enrolments/{enrolled}/result", """{"passed":true,"score":-1}""", 400 },
        { "coordinator", "PUT", "/api/school/modules/{module}/enrolments/{enrolled}/result", """{"passed":true,"score":50,"note":"{long}"}""", 400 },
        { "coordinator", "PUT", "/api/school/modules/{module}/enrolments/{enrolled}/result", """{"score":50}""", 400 },
        { "coordinator", "PUT", "/api/school/modules/{module}/enrolments/{unknown}/result", """{"passed":true}""", 404 },
        { "enrolledStudent", "PUT", "/api/school/modules/{module}/enrolments/{enrolled}/result", """{"passed":true,"score":100}""", 403 },
        { "outsider", "DELETE", "/api/school/modules/{module}/enrolments/{enrolled}", null, 403 },
        { "coordinator", "DELETE", "/api/school/modules/{module}/enrolments/{unknown}", null, 404 },

        // Showcase
        { "member", "POST", "/api/school/projects/{sepsis}/showcase", """{"title":"Hostile","summary":"x","links":[null]}""", 415 },
        { "member", "POST", "/api/school/projects/{sepsis}/showcase", "", 415 },
        { "outsider", "POST", "/api/school/projects/{sepsis}/showcase", """{"title":"Hostile"}""", 404 },
        { "coordinator", "POST", "/api/school/projects/{unknown}/showcase", """{"title":"Hostile"}""", 404 },
        { "coordinator", "POST", "/api/school/showcase/{entry}/feedback", "{", 400 },
        { "coordinator", "POST", "/api/school/showcase/{entry}/feedback", "", 400 },
        { "coordinator", "POST", "/api/school/showcase/{entry}/feedback", """{"text":5}""", 400 },
        { "coordinator", "POST", "/api/school/showcase/{entry}/feedback", """{"text":["a"]}""", 400 },
        { "coordinator", "POST", "/api/school/showcase/{entry}/feedback", """{"text":"{long}"}""", 400 },
        { "coordinator", "POST", "/api/school/showcase/{entry}/feedback", "{}", 400 },
        { "coordinator", "POST", "/api/school/showcase/{unknown}/feedback", """{"text":"Nice"}""", 404 },
        { "coordinator", "POST", "/api/school/showcase/{empty}/feedback", """{"text":"Nice"}""", 400 },
        { "member", "POST", "/api/school/showcase/{entry}/feedback", """{"text":"We are great"}""", 403 },
        { "coordinator", "POST", "/api/school/showcase/{entry}/hide", """{"reason":"x"}""", 400 },
        { "coordinator", "POST", "/api/school/showcase/{entry}/hide", """{"reason":"{long}"}""", 400 },
        { "coordinator", "POST", "/api/school/showcase/{entry}/hide", """{"reason":null}""", 400 },
        { "coordinator", "POST", "/api/school/showcase/{unknown}/hide", """{"reason":"Spam here"}""", 404 },
        { "member", "POST", "/api/school/showcase/{entry}/hide", """{"reason":"Spam here"}""", 403 },
        { "member", "POST", "/api/school/showcase/{entry}/unhide", null, 403 },

        // Notifications
        { "outsider", "POST", "/api/notifications/{notification}/read", null, 404 },
        { "outsider", "POST", "/api/notifications/{unknown}/read", null, 404 },
        { "outsider", "POST", "/api/notifications/{empty}/read", null, 400 },

        // Students
        { "coordinator", "PUT", "/api/school/students/{student}/qualifications/dragon-taming", """{"expiresOn":"2030-01-01"}""", 400 },
        { "coordinator", "PUT", "/api/school/students/{student}/qualifications/{grant}", """{"expiresOn":"9999-12-31"}""", 400 },
        { "coordinator", "PUT", "/api/school/students/{student}/qualifications/{grant}", """{"expiresOn":"0001-01-01"}""", 400 },
        { "coordinator", "PUT", "/api/school/students/{student}/qualifications/{grant}", """{"expiresOn":"not a date"}""", 400 },
        { "coordinator", "PUT", "/api/school/students/{student}/qualifications/{grant}", """{"expiresOn":20300101}""", 400 },
        { "coordinator", "PUT", "/api/school/students/{student}/qualifications/{grant}", "{", 400 },
        { "coordinator", "PUT", "/api/school/students/{student}/qualifications/{grant}", "{}", 400 },
        { "coordinator", "PUT", "/api/school/students/{unknown}/qualifications/{grant}", """{"expiresOn":"{futureDay}"}""", 404 },
        { "coordinator", "PUT", "/api/school/students/{student}/qualifications/{long}", """{"expiresOn":"{futureDay}"}""", 400 },
        { "outsider", "PUT", "/api/school/students/{self}/qualifications/{grant}", """{"expiresOn":"{futureDay}"}""", 403 },
        { "coordinator", "DELETE", "/api/school/students/{unknown}/qualifications/{grant}", null, 404 },
        { "outsider", "DELETE", "/api/school/students/{student}/qualifications/{grant}", null, 403 },

        // Mentor requests, the school's teachers' side
        { "coordinator", "POST", "/api/school/mentor-requests/{unknown}/accept", null, 404 },
        { "coordinator", "POST", "/api/school/mentor-requests/{empty}/accept", null, 400 },
        { "outsider", "POST", "/api/school/mentor-requests/{request}/accept", null, 403 },
        { "outsider", "POST", "/api/school/mentor-requests/{request}/decline", """{"reason":"Not me"}""", 403 },
        { "coordinator", "POST", "/api/school/mentor-requests/{request}/decline", "{", 400 },
        { "coordinator", "POST", "/api/school/mentor-requests/{request}/decline", "", 400 },
        { "coordinator", "POST", "/api/school/mentor-requests/{request}/decline", "{}", 400 },
        { "coordinator", "POST", "/api/school/mentor-requests/{request}/decline", """{"reason":5}""", 400 },
        { "coordinator", "POST", "/api/school/mentor-requests/{request}/decline", """{"reason":"{long}"}""", 400 },
        { "coordinator", "POST", "/api/school/mentor-requests/{unknown}/decline", """{"reason":"Not me"}""", 404 },
    };

    /// <summary>(who, path, expected status) for reads that must be refused.</summary>
    public static TheoryData<string, string, int> Reads => new()
    {
        { "coordinator", "/api/school/projects?status=dragon", 400 },
        { "coordinator", "/api/school/projects?status=99", 400 },
        { "coordinator", "/api/school/projects/{unknown}", 404 },
        { "coordinator", "/api/school/projects/{empty}", 400 },
        { "coordinator", "/api/school/projects/not-a-guid", 404 },
        { "outsider", "/api/school/projects/{sepsis}", 404 },
        { "outsider", "/api/school/projects/{sepsis}/bundles", 404 },
        { "coordinator", "/api/school/projects/{sepsis}/bundles/{unknown}", 404 },
        { "coordinator", "/api/school/projects/{unknown}/bundles", 404 },
        { "coordinator", "/api/school/modules?page=0", 400 },
        { "coordinator", "/api/school/modules?pageSize=100000", 400 },
        { "coordinator", "/api/school/modules?page=2147483648", 400 },
        { "coordinator", "/api/school/modules?page=-1", 400 },
        { "coordinator", "/api/school/modules?group=dragons", 400 },
        { "coordinator", "/api/school/modules?group={long}", 400 },
        { "coordinator", "/api/school/modules/{unknown}", 404 },
        { "coordinator", "/api/school/modules/{empty}", 400 },
        { "outsider", "/api/school/modules/{module}/enrolments", 403 },
        { "coordinator", "/api/school/showcase?page=0", 400 },
        { "coordinator", "/api/school/showcase?pageSize=100000", 400 },
        { "coordinator", "/api/school/showcase?projectId=not-a-guid", 400 },
        { "coordinator", "/api/school/showcase?projectId={empty}", 400 },
        { "coordinator", "/api/school/showcase/{unknown}", 404 },
        { "coordinator", "/api/school/showcase/{unknown}/file", 404 },
        { "coordinator", "/api/school/showcase/{empty}", 400 },
        { "coordinator", "/api/school/ledger?format=xml", 400 },
        { "coordinator", "/api/school/ledger?format={long}", 400 },
        { "coordinator", "/api/school/ledger?from=yesterday&to=2026-01-01", 400 },
        { "coordinator", "/api/school/ledger?from=2026-02-30&to=2026-03-01", 400 },
        { "coordinator", "/api/school/ledger?from=2026-01-01", 400 },
        { "coordinator", "/api/school/ledger?to=2026-01-01", 400 },
        { "coordinator", "/api/school/ledger?from=2026-03-01&to=2026-01-01", 400 },
        { "coordinator", "/api/school/ledger?from=2026-01-01&to=2026-01-01", 400 },
        { "coordinator", "/api/school/ledger?from=0001-01-01&to=9999-12-31", 400 },
        { "coordinator", "/api/school/ledger?from=2026-01-01T00:00:00Z&to=2026-02-01", 400 },
        { "coordinator", "/api/school/ledger?from=2026-01-01&to=2026-02-01&organisationId={empty}", 400 },
        { "coordinator", "/api/school/ledger?from=2026-01-01&to=2026-02-01&organisationId=nobody", 400 },
        { "hospital", "/api/school/ledger?organisationId={school}", 403 },
        { "hospital", "/api/school/ledger?organisationId={unknown}&format=csv", 403 },
        { "outsider", "/api/school/ledger?organisationId={enterprise}", 403 },
        { "coordinator", "/api/school/ledger/resources?format={long}", 400 },
        { "coordinator", "/api/school/ledger/resources?from=0001-01-01&to=9999-12-31", 400 },
        { "coordinator", "/api/school/ledger/resources?from=2026-02-30&to=2026-03-01", 400 },
        { "coordinator", "/api/school/ledger/resources?from=2026-01-01&to=2026-02-01&organisationId={empty}", 400 },
        { "hospital", "/api/school/ledger/resources?organisationId={school}", 403 },
        { "outsider", "/api/school/ledger/resources?organisationId={enterprise}&format=csv", 403 },
        { "outsider", "/api/notifications/me?page=0", 400 },
        { "outsider", "/api/notifications/me?pageSize=100000", 400 },
        { "outsider", "/api/notifications/me?page=2147483647", 400 },
        { "outsider", "/api/notifications/me?unread=maybe", 400 },
        { "outsider", "/api/notifications/me?unread=1", 400 },
        { "outsider", "/api/notifications/me?page=1e308", 400 },
        { "outsider", "/api/school/students/{student}", 403 },
        { "outsider", "/api/school/students/{student}/qualifications", 403 },
        { "outsider", "/api/school/students", 403 },
        { "coordinator", "/api/school/students/{unknown}", 404 },
        { "coordinator", "/api/school/students?page=0", 400 },
        { "coordinator", "/api/school/students?pageSize=100000", 400 },
        { "coordinator", "/api/school/students?studyYear=2147483647", 400 },
        { "coordinator", "/api/school/mentor-requests?state=dragon", 400 },
        { "coordinator", "/api/school/mentor-requests?state=99", 400 },
        { "coordinator", "/api/school/mentor-requests?state=1", 400 },
        { "outsider", "/api/school/mentor-requests", 403 },
    };

    /// <summary>(content type, body, expected status): register files that must import nothing.</summary>
    public static TheoryData<string, string, int> Imports => new()
    {
        { "application/json", "{", 415 },
        { "application/json", """{"students":[null]}""", 415 },
        { "text/csv", "", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear\nH-1,\"Unterminated,medicine,1\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear\nH-1,Ann Hostile,medicine,2147483648\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear\nH-1,Ann Hostile,medicine,-1\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear\nH-1,Ann Hostile,medicine,1e308\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear\nH-1,{long},medicine,1\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear\n{long},Ann Hostile,medicine,1\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear\nH-1,Ann Hostile,dragon-taming,1\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear,userId\nH-1,Ann Hostile,medicine,1,{empty}\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear,userId\nH-1,Ann Hostile,medicine,1,not-a-guid\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear,dragon\nH-1,Ann Hostile,medicine,1,x\n", 400 },
        { "text/csv", "studentNumber,name,programme\nH-1,Ann Hostile,medicine\n", 400 },
        { "text/csv", "studentNumber,name,programme,studyYear\nH-1,Ann Hostile,medicine,1,extra,fields,here\n", 400 },
        { "text/csv", "\0\0\0\u0001\u0002", 400 },
        { "multipart/form-data", "", 400 },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task A_hostile_write_is_a_4xx_problem_and_changes_nothing(string who, string method, string path, string? body, int status)
    {
        var ids = await IdsAsync();
        var before = await StateAsync(ids);
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path, ids));
        if (body is not null)
        {
            request.Content = Json.Raw(Fill(body, ids));
        }

        var response = await ClientFor(who, ids).SendAsync(request);

        await response.AssertProblemAsync((HttpStatusCode)status);
        Assert.Equal(before, await StateAsync(ids));
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task A_hostile_read_is_a_4xx_problem(string who, string path, int status)
    {
        var ids = await IdsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, Fill(path, ids));
        request.Headers.Accept.ParseAdd("application/xml");

        await (await ClientFor(who, ids).SendAsync(request)).AssertProblemAsync((HttpStatusCode)status);
    }

    [Theory]
    [MemberData(nameof(Imports))]
    public async Task A_hostile_register_file_is_a_4xx_problem_and_imports_nothing(string contentType, string body, int status)
    {
        var ids = await IdsAsync();
        var before = await StateAsync(ids);
        HttpContent content = contentType == "multipart/form-data"
            ? new MultipartFormDataContent { { new StringContent("no file here"), "note" } }
            : new StringContent(Fill(body, ids), Encoding.UTF8, contentType);
        if (contentType != "multipart/form-data")
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        }

        var response = await factory.Coordinator.PostAsync("/api/school/students/import", content);

        await response.AssertProblemAsync((HttpStatusCode)status);
        Assert.Equal(before, await StateAsync(ids));
    }

    [Theory]
    [InlineData("title", "{long}")]
    [InlineData("title", "")]
    [InlineData("summary", "{long}")]
    [InlineData("milestoneId", "not-a-guid")]
    [InlineData("milestoneId", "{empty}")]
    [InlineData("milestoneId", "{unknown}")]
    [InlineData("links", "javascript:alert(1)")]
    [InlineData("links", "{long}")]
    [InlineData("links", "/relative/only")]
    [InlineData("dragon", "x")]
    public async Task A_hostile_showcase_form_is_a_400_problem_and_publishes_nothing(string field, string value)
    {
        var ids = await IdsAsync();
        var before = await StateAsync(ids);
        var fields = new Dictionary<string, string> { ["title"] = "Hostile entry", ["summary"] = "A summary." };
        fields[field] = Fill(value, ids);
        var form = new MultipartFormDataContent();
        foreach (var (name, text) in fields)
        {
            form.Add(new StringContent(text), name);
        }

        var response = await factory.ClientAs(ids.MemberUser).PostAsync($"/api/school/projects/{ProjectsDemoSeeder.Sepsis}/showcase", form);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await StateAsync(ids));
    }

    [Theory]
    [InlineData("0001-01-01", "0001-01-02", "json")]
    [InlineData("9999-12-30", "9999-12-31", "json")]
    [InlineData("9999-12-30", "9999-12-31", "csv")]
    [InlineData("0001-01-01", "0002-12-31", "csv")]
    public async Task A_ledger_at_the_edges_of_the_calendar_answers_instead_of_failing(string from, string to, string format)
    {
        var response = await factory.Coordinator.GetAsync($"/api/school/ledger?from={from}&to={to}&format={format}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private HttpClient ClientFor(string who, Ids ids) => who switch
    {
        "coordinator" => factory.Coordinator,
        "outsider" => factory.ClientAs(DemoDirectory.Student(199).UserName),
        "member" => factory.ClientAs(ids.MemberUser),
        "enrolledStudent" => factory.ClientAs(ids.EnrolledUser),
        "hospital" => factory.ClientAs(TestAuth.StMarysCoordinator),
        _ => throw new ArgumentOutOfRangeException(nameof(who), who, null),
    };

    private sealed record Ids(
        Guid Member, string MemberUser, Guid HandoverMember, Guid Module, Guid Teacher, string TeacherJson, Guid Enrolled, string EnrolledUser, Guid Entry,
        Guid Request, Guid Resource, Guid Notification, Guid NotificationOwner, string Grant, DateTimeOffset Start);

    private async Task<Ids> IdsAsync()
    {
        await factory.OutboxDrainedAsync();
        Guid request = default;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            request = await factory.InScopeAsync<SchoolDbContext, Guid>(db => db.Set<MentorRequest>()
                .Where(r => r.ProjectId == ProjectsDemoSeeder.Handover && r.RequestedAt != null).Select(r => r.Id).FirstOrDefaultAsync());
            return request != Guid.Empty;
        }, TimeSpan.FromSeconds(15)), "The school never kept the demo's mentor request to its teacher.");

        if (!await factory.InScopeAsync<SchoolDbContext, bool>(db => db.CatalogResources.AnyAsync(r => r.ResourceId == Resource)))
        {
            var institute = DemoDirectory.Institutes[0];
            await factory.Harness.Bus.Publish(new SharedResourcePublished(new SharedResourceSnapshot(
                Resource, ResourceOwners.Research, institute.Id, institute.Name, "equipment", "Hostile test scanner", "test", null, 2, [], false, 0, "UTC", false), 1, DateTimeOffset.UtcNow));
            Assert.True(await Eventually.HoldsAsync(() => factory.InScopeAsync<SchoolDbContext, bool>(db => db.CatalogResources.AnyAsync(r => r.ResourceId == Resource)), TimeSpan.FromSeconds(10)));
            await factory.OutboxDrainedAsync();
        }

        return await factory.InScopeAsync<SchoolDbContext, Ids>(async db =>
        {
            var outsider = DemoDirectory.Student(199).Id;
            var sepsis = await db.Set<Project>().AsNoTracking().Include(p => p.Members).SingleAsync(p => p.Id == ProjectsDemoSeeder.Sepsis);
            var handover = await db.Set<Project>().AsNoTracking().Include(p => p.Members).SingleAsync(p => p.Id == ProjectsDemoSeeder.Handover);
            var member = sepsis.Members.OrderBy(m => m.StudentId).First().StudentId;
            var enrolment = await db.Set<ModuleEnrolment>().AsNoTracking().Where(e => e.Status == EnrolmentStatus.Enrolled).OrderBy(e => e.StudentId).FirstAsync();
            var module = await db.Set<TrainingModule>().AsNoTracking().SingleAsync(m => m.Id == enrolment.ModuleId);
            var teacher = module.Teachers[0];
            var entry = await db.Set<ShowcaseEntry>().AsNoTracking().Where(e => e.ProjectId == ProjectsDemoSeeder.Sepsis && e.HiddenAt == null).Select(e => e.Id).FirstAsync();
            var notification = await db.Set<Notification>().AsNoTracking().Where(n => n.UserId != outsider && n.ReadAt == null)
                .OrderBy(n => n.Id).Select(n => new { n.Id, n.UserId }).FirstAsync();
            return new Ids(
                member, UserName(member), handover.Members.First().StudentId, module.Id, teacher.UserId,
                $$"""{"userId":"{{teacher.UserId}}","name":"{{teacher.Name}}","organisationId":"{{teacher.OrganisationId}}","organisationKind":"{{teacher.OrganisationKind}}"}""",
                enrolment.StudentId, UserName(enrolment.StudentId), entry, request, Resource, notification.Id, notification.UserId,
                CollabTraining.Contracts.School.ReferenceCodes.Qualifications.Keys.Order(StringComparer.Ordinal).First(),
                factory.Clock.GetUtcNow().AddDays(3));
        });
    }

    private static string UserName(Guid id) => DemoDirectory.Users.Single(u => u.Id == id).UserName;

    private string Fill(string template, Ids ids) => template
        .Replace("{teacherJson}", ids.TeacherJson)
        .Replace("{long}", Long)
        .Replace("{unknown}", Unknown)
        .Replace("{empty}", Empty)
        .Replace("{sepsis}", ProjectsDemoSeeder.Sepsis.ToString())
        .Replace("{handover}", ProjectsDemoSeeder.Handover.ToString())
        .Replace("{track}", ProjectsDemoSeeder.Track.ToString())
        .Replace("{member}", ids.Member.ToString())
        .Replace("{handoverMember}", ids.HandoverMember.ToString())
        .Replace("{module}", ids.Module.ToString())
        .Replace("{teacher}", ids.Teacher.ToString())
        .Replace("{enrolled}", ids.Enrolled.ToString())
        .Replace("{entry}", ids.Entry.ToString())
        .Replace("{request}", ids.Request.ToString())
        .Replace("{resource}", ids.Resource.ToString())
        .Replace("{notification}", ids.Notification.ToString())
        .Replace("{grant}", ids.Grant)
        .Replace("{student}", DemoDirectory.Student(2).Id.ToString())
        .Replace("{other}", DemoDirectory.Student(3).Id.ToString())
        .Replace("{self}", DemoDirectory.Student(199).Id.ToString())
        .Replace("{school}", DemoDirectory.School.Id.ToString())
        .Replace("{enterprise}", DemoDirectory.Enterprises[0].Id.ToString())
        .Replace("{start}", ids.Start.ToString("O"))
        .Replace("{end}", ids.Start.AddHours(2).ToString("O"))
        .Replace("{futureDay}", DateOnly.FromDateTime(ids.Start.UtcDateTime).AddDays(30).ToString("yyyy-MM-dd"));

    /// <summary>Everything a refused write might have touched: row counts and the versions that rise with each change.</summary>
    private sealed record State(
        int Projects, long ProjectVersions, int Mentors, int Milestones, int Tracks, int Bundles, int Modules, long ModuleVersions, int Classes,
        int Enrolments, long EnrolmentVersions, int Entries, long EntryVersions, int Feedback, int Students, int Qualifications, long QualificationVersions,
        int ReadNotifications, int MentorRequests, long MentorRequestVersions);

    private Task<State> StateAsync(Ids ids) => factory.InScopeAsync<SchoolDbContext, State>(async db => new State(
        await db.Set<Project>().CountAsync(),
        await db.Set<Project>().SumAsync(p => p.Version),
        await db.Set<ProjectMentor>().CountAsync(),
        await db.Set<ProjectMilestone>().CountAsync(),
        await db.Set<CompetitionTrack>().CountAsync(),
        await db.Set<ResourceBundle>().CountAsync(),
        await db.Set<TrainingModule>().CountAsync(),
        await db.Set<TrainingModule>().SumAsync(m => m.Version),
        await db.Set<ModuleClass>().CountAsync(),
        await db.Set<ModuleEnrolment>().CountAsync(),
        await db.Set<ModuleEnrolment>().SumAsync(e => e.Version),
        await db.Set<ShowcaseEntry>().CountAsync(),
        await db.Set<ShowcaseEntry>().SumAsync(e => e.Version),
        await db.Set<ShowcaseFeedback>().CountAsync(),
        await db.Students.CountAsync(),
        await db.StudentQualifications.CountAsync(),
        await db.StudentQualifications.SumAsync(q => q.Version),
        await db.Set<Notification>().CountAsync(n => n.ReadAt != null && (n.Id == ids.Notification || n.UserId == ids.NotificationOwner || n.UserId == DemoDirectory.Student(199).Id)),
        await db.Set<MentorRequest>().CountAsync(),
        await db.Set<MentorRequest>().SumAsync(r => r.Version)));
}
