using CollabTraining.Portal.SignIn;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace CollabTraining.Portal.School;

/// <summary>
/// A page of the School's staff: it finds out who is signed in and asks the API for its data only when they are school
/// staff (anyone else is shown <c>Forbidden</c> by <see cref="SchoolStaffOnly"/>; the API would refuse them anyway).
/// </summary>
public abstract class SchoolPage : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The signed-in user, once known.</summary>
    protected PortalUser? User { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        User = (state is null ? null : PortalUser.From(state.User))
            ?? new PortalUser(Guid.Empty, string.Empty, Guid.Empty, string.Empty, string.Empty, new HashSet<string>());
        if (User.IsSchoolStaff)
        {
            await LoadAsync();
        }
    }

    /// <summary>What the page first asks the API for.</summary>
    protected abstract Task LoadAsync();
}
