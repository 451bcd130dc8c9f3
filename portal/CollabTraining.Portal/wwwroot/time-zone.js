// The browser's time zone, for the server to show times that belong to no single place (my bookings, my calendar).
try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
        document.cookie = "collabtraining.tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
} catch (e) {
    // Without Intl the lists stay in UTC, and say so.
}
