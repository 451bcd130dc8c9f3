using System.Net;
using System.Security.Claims;
using CollabTraining.Portal.Api;
using CollabTraining.Portal.SignIn;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Tests.Unit;

/// <summary>The portal's API plumbing: problems read as the API writes them, shown at fields, the token on every call.</summary>
public sealed class PortalApiTests
{
    [Fact]
    public void A_problem_is_read_with_its_reason_its_field_errors_and_its_extensions()
    {
        var problem = ApiProblem.Read(HttpStatusCode.Conflict, """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.10","title":"The slot is full.","status":409,
             "detail":"All 8 GPUs are booked then.","reason":"full","nextFree":{"start":"2027-02-01T10:00:00Z"},"traceId":"abc",
             "errors":{"requirements.requiredQualifications[1]":["Unknown qualification."]}}
            """);

        Assert.Equal((409, "The slot is full.", "All 8 GPUs are booked then.", "full"), (problem.Status, problem.Title, problem.Detail, problem.Reason));
        Assert.Equal(["Unknown qualification."], problem.For("Requirements.RequiredQualifications[1]"));
        Assert.Equal("2027-02-01T10:00:00Z", problem.Extensions["nextFree"].GetProperty("start").GetString());
        Assert.Equal("All 8 GPUs are booked then.", problem.Summary);
    }

    public static TheoryData<Exception> GatewayFailures => new()
    {
        new Polly.Timeout.TimeoutRejectedException("The attempt took longer than its timeout."),
        new Polly.CircuitBreaker.BrokenCircuitException("The circuit is open."),
        new HttpRequestException("Connection refused."),
        new TaskCanceledException("The HttpClient's own timeout."),
    };

    [Theory]
    [MemberData(nameof(GatewayFailures))]
    public async Task A_gateway_that_times_out_or_is_cut_off_is_a_problem_the_page_shows_not_an_exception(Exception failure)
    {
        await using var context = new CollabTraining.Tests.Portal.PortalComponentContext();
        using var http = new HttpClient(new Failing(failure)) { BaseAddress = new Uri("http://gateway.test/") };
        var gateway = new GatewayClient(http, context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<GatewayClient>.Instance);

        var result = await gateway.PostAsync<object>("api/school/students/import", new { });

        Assert.False(result.Succeeded);
        Assert.Equal("The gateway did not answer; try again in a moment.", result.Problem!.Summary);
    }

    private sealed class Failing(Exception failure) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => throw failure;
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>Bad gateway</html>")]
    [InlineData("[1,2]")]
    public void A_body_that_is_not_a_problem_still_gives_the_status_and_its_reason_phrase(string body)
    {
        var problem = ApiProblem.Read(HttpStatusCode.BadGateway, body);

        Assert.Equal((502, "Bad Gateway"), (problem.Status, problem.Title));
        Assert.Empty(problem.Errors);
    }

    [Fact]
    public void A_form_shows_each_message_at_the_field_it_names_members_included_and_returns_the_rest()
    {
        var form = new FormProblems("title", "requirements");
        var rest = form.Show(ApiProblem.Read(HttpStatusCode.BadRequest, """
            {"title":"One or more validation errors occurred.","status":400,"errors":{
              "title":["The title is required."],
              "requirements.minimumStudyYear":["Between 1 and 6."],
              "requirements.requiredQualifications[0]":["Unknown qualification 'mri'."],
              "seats":["At least one seat."]}}
            """));

        Assert.Equal(["seats: At least one seat."], rest);
        Assert.Equal("The title is required.", form.ErrorText("title"));
        Assert.Equal("Between 1 and 6. Unknown qualification 'mri'.", form.ErrorText("requirements"));
        Assert.Equal(true, form.At("title")["Error"]);
        Assert.Equal(false, form.At("department")["Error"]);

        form.Clear("requirements");
        Assert.False(form.HasError("requirements"));
        Assert.True(form.HasError("title"));
    }

    [Fact]
    public void A_problem_that_names_no_field_on_the_form_is_shown_whole()
    {
        var form = new FormProblems("title");
        var rest = form.Show(ApiProblem.Read(HttpStatusCode.Conflict, """{"title":"Conflict.","detail":"The offer was closed meanwhile.","status":409,"reason":"closed"}"""));

        Assert.Equal(["The offer was closed meanwhile."], rest);
        Assert.False(form.HasError("title"));
    }

    [Fact]
    public async Task Inside_a_circuit_the_token_comes_from_the_circuits_authentication_state()
    {
        var principal = Session.Create(TestAuth.TokenFor(TestAuth.Student), DateTimeOffset.UtcNow.AddHours(1), "Northbridge Medical School");
        var circuit = new CircuitServicesAccessor();
        var services = new ServiceCollection().AddSingleton<AuthenticationStateProvider>(new Fixed(principal)).BuildServiceProvider();
        var gateway = new FakeGateway().OnJson(HttpMethod.Get, "/api/school/catalog/placements", _ => new { });
        using var client = new HttpClient(new BearerTokenHandler(circuit, new HttpContextAccessor()) { InnerHandler = gateway }) { BaseAddress = new Uri("http://gateway.test/") };

        circuit.Services = services;
        await Task.Run(() => client.GetAsync("api/school/catalog/placements"));
        circuit.Services = null;
        await client.GetAsync("api/school/catalog/placements");

        Assert.Equal(["Bearer " + Session.AccessToken(principal), null], gateway.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Outside_a_circuit_the_token_comes_from_the_requests_signed_in_user()
    {
        var principal = Session.Create(TestAuth.TokenFor(TestAuth.StMarysCoordinator), DateTimeOffset.UtcNow.AddHours(1), null);
        var http = new HttpContextAccessor { HttpContext = new DefaultHttpContext { User = principal } };
        var gateway = new FakeGateway().OnJson(HttpMethod.Get, "/api/hospitals/placement-offers", _ => new { });
        using var client = new HttpClient(new BearerTokenHandler(new CircuitServicesAccessor(), http) { InnerHandler = gateway }) { BaseAddress = new Uri("http://gateway.test/") };

        await client.GetAsync("api/hospitals/placement-offers");

        Assert.Equal("Bearer " + Session.AccessToken(principal), Assert.Single(gateway.Requests).Authorization);
    }

    [Fact]
    public void The_session_holds_the_platforms_claims_from_the_token_and_ends_when_the_token_does()
    {
        var now = DateTimeOffset.UtcNow;
        var token = TestAuth.TokenFor(TestAuth.StMarysCoordinator);
        var session = Session.Create(token, now.AddMinutes(30), "St Mary's University Hospital");

        var user = CollabTraining.Portal.SignIn.PortalUser.From(session)!;
        Assert.Equal((TestAuth.User(TestAuth.StMarysCoordinator).Id, "St Mary's University Hospital", "hospital"), (user.Id, user.OrganisationName, user.OrganisationKind));
        Assert.True(user.IsHospitalStaff);
        Assert.True(session.IsInRole("coordinator"));
        Assert.Equal(token, Session.AccessToken(session));
        Assert.True(Session.IsValid(session, now.AddMinutes(29)));
        Assert.False(Session.IsValid(session, now.AddMinutes(31)));
        Assert.False(Session.IsValid(new ClaimsPrincipal(new ClaimsIdentity()), now));

        // A token that expires before the issuer's stated lifetime ends the session with it.
        var longer = Session.Create(token, now.AddDays(3), null);
        Assert.True(Session.ExpiresAt(longer) < now.AddHours(9));
    }

    [Theory]
    [InlineData("/catalog?tab=mentors", "/catalog?tab=mentors")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData(null, "/")]
    public void A_return_address_stays_on_the_portal(string? returnUrl, string expected) =>
        Assert.Equal(expected, SignInEndpoints.LocalOnly(returnUrl));

    private sealed class Fixed(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}

/// <summary>How the portal writes dates and times in each language.</summary>
public sealed class PortalCultureTests
{
    [Fact]
    public void English_dates_name_the_month_and_times_use_the_24_hour_clock()
    {
        var options = CollabTraining.Portal.Localization.PortalCultures.Options();
        var english = options.SupportedCultures!.Single(c => c.Name == "en");
        var at = new DateTime(2026, 11, 6, 14, 5, 0);

        Assert.Equal(("6 Nov 2026", "14:05"), (at.ToString("d", english), at.ToString("t", english)));
        Assert.Same(english, options.DefaultRequestCulture.Culture);
        Assert.Equal(DayOfWeek.Monday, english.DateTimeFormat.FirstDayOfWeek);
        Assert.Equal("2026/11/6", at.ToString("d", options.SupportedCultures!.Single(c => c.Name == "zh-Hans")));
    }
}
