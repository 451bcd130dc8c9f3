using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CollabTraining.Hospitals.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PlacementRoundsHardened : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // One vocabulary of assignment states with the school (PlacementAssignmentStatus).
            migrationBuilder.Sql("UPDATE Assignments SET Status = 'DeclinedByHospital' WHERE Status = 'Declined'");
            migrationBuilder.Sql("UPDATE Assignments SET Status = 'DeclinedByStudent' WHERE Status = 'WithdrawnByStudent'");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ClinicalMentors",
                table: "ClinicalMentors");

            migrationBuilder.DropIndex(
                name: "IX_ClinicalMentors_HospitalId",
                table: "ClinicalMentors");

            // Where a student ranked an offer is the school's alone: the hospital's copy is dropped, not renamed.
            migrationBuilder.DropColumn(
                name: "Rank",
                table: "Assignments");

            migrationBuilder.AddColumn<int>(
                name: "HoursEntries",
                table: "Assignments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "ConfirmationCount",
                table: "PlacementOffers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LoggedAt",
                table: "HoursLogs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "RetiredAt",
                table: "ClinicalMentors",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ClinicalMentors",
                table: "ClinicalMentors",
                columns: new[] { "HospitalId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_HoursLogs_StudentId_Date",
                table: "HoursLogs",
                columns: new[] { "StudentId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_Evaluations_MentorId",
                table: "Evaluations",
                column: "MentorId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_HoursLogs_StudentId_Date",
                table: "HoursLogs");

            migrationBuilder.DropIndex(
                name: "IX_Evaluations_MentorId",
                table: "Evaluations");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ClinicalMentors",
                table: "ClinicalMentors");

            migrationBuilder.DropColumn(
                name: "ConfirmationCount",
                table: "PlacementOffers");

            migrationBuilder.DropColumn(
                name: "LoggedAt",
                table: "HoursLogs");

            migrationBuilder.DropColumn(
                name: "RetiredAt",
                table: "ClinicalMentors");

            migrationBuilder.DropColumn(
                name: "HoursEntries",
                table: "Assignments");

            migrationBuilder.AddColumn<int>(
                name: "Rank",
                table: "Assignments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ClinicalMentors",
                table: "ClinicalMentors",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_ClinicalMentors_HospitalId",
                table: "ClinicalMentors",
                column: "HospitalId");
        }
    }
}
