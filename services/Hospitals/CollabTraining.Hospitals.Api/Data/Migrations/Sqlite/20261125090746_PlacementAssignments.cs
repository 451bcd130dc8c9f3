using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CollabTraining.Hospitals.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PlacementAssignments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Assignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OfferId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HospitalId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StudentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StudentName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StudyYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Programme = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Rank = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    DeclineReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    MentorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    MentorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assignments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ClinicalMentors",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HospitalId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClinicalMentors", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_HospitalId_Status",
                table: "Assignments",
                columns: new[] { "HospitalId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_OfferId",
                table: "Assignments",
                column: "OfferId");

            migrationBuilder.CreateIndex(
                name: "IX_ClinicalMentors_HospitalId",
                table: "ClinicalMentors",
                column: "HospitalId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Assignments");

            migrationBuilder.DropTable(
                name: "ClinicalMentors");
        }
    }
}
