using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CollabTraining.School.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SharedResourceCatalog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpiryAnnouncedFor",
                table: "StudentQualifications",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "Id",
                table: "StudentQualifications",
                type: "uniqueidentifier",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RevokedAt",
                table: "StudentQualifications",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Version",
                table: "StudentQualifications",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "CatalogMentors",
                columns: table => new
                {
                    MentorId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Service = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OrganisationName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Expertise = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ProjectCapacity = table.Column<int>(type: "int", nullable: false),
                    Active = table.Column<bool>(type: "bit", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CatalogMentors", x => x.MentorId);
                });

            migrationBuilder.CreateTable(
                name: "CatalogResources",
                columns: table => new
                {
                    ResourceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Service = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    OwnerId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OwnerName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: false),
                    Model = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Capacity = table.Column<int>(type: "int", nullable: false),
                    RequiredQualifications = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ApprovalRequired = table.Column<bool>(type: "bit", nullable: false),
                    MaximumHours = table.Column<double>(type: "float", nullable: false),
                    TimeZone = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Retired = table.Column<bool>(type: "bit", nullable: false),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CatalogResources", x => x.ResourceId);
                });

            migrationBuilder.CreateTable(
                name: "DueTasks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    SubjectId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    LeasedUntil = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LeaseOwner = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Attempts = table.Column<int>(type: "int", nullable: false),
                    DoneAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    FailedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DueTasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KnownBlackouts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ResourceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Start = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    End = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnownBlackouts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UserId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SubjectId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ResourceUsage",
                columns: table => new
                {
                    BookingId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ResourceId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OwnerId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    UserId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CheckedInAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    CheckedOutAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Units = table.Column<int>(type: "int", nullable: false),
                    UnitHours = table.Column<double>(type: "float", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResourceUsage", x => x.BookingId);
                });

            // Rows granted before qualifications had ids: each gets its own, at version 1, before the unique index.
            migrationBuilder.Sql("UPDATE [StudentQualifications] SET [Id] = NEWID(), [Version] = 1 WHERE [Version] = 0;");

            migrationBuilder.CreateIndex(
                name: "IX_StudentQualifications_Id",
                table: "StudentQualifications",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CatalogMentors_Active_Name",
                table: "CatalogMentors",
                columns: new[] { "Active", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_CatalogMentors_OrganisationId",
                table: "CatalogMentors",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_CatalogResources_OwnerId",
                table: "CatalogResources",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_CatalogResources_Retired_Kind_Name",
                table: "CatalogResources",
                columns: new[] { "Retired", "Kind", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_DueTasks_DoneAt_FailedAt_DueAt",
                table: "DueTasks",
                columns: new[] { "DoneAt", "FailedAt", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DueTasks_Kind_SubjectId",
                table: "DueTasks",
                columns: new[] { "Kind", "SubjectId" });

            migrationBuilder.CreateIndex(
                name: "IX_KnownBlackouts_ResourceId_End",
                table: "KnownBlackouts",
                columns: new[] { "ResourceId", "End" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_OccurredAt",
                table: "Notifications",
                columns: new[] { "UserId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ResourceUsage_OrganisationId_CheckedOutAt",
                table: "ResourceUsage",
                columns: new[] { "OrganisationId", "CheckedOutAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CatalogMentors");

            migrationBuilder.DropTable(
                name: "CatalogResources");

            migrationBuilder.DropTable(
                name: "DueTasks");

            migrationBuilder.DropTable(
                name: "KnownBlackouts");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "ResourceUsage");

            migrationBuilder.DropIndex(
                name: "IX_StudentQualifications_Id",
                table: "StudentQualifications");

            migrationBuilder.DropColumn(
                name: "ExpiryAnnouncedFor",
                table: "StudentQualifications");

            migrationBuilder.DropColumn(
                name: "Id",
                table: "StudentQualifications");

            migrationBuilder.DropColumn(
                name: "RevokedAt",
                table: "StudentQualifications");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "StudentQualifications");
        }
    }
}
