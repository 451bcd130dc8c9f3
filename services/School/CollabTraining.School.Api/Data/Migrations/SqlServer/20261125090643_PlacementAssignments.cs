using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CollabTraining.School.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PlacementAssignments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "StudentDeclineDeadline",
                table: "PlacementRounds",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "MatchRuns",
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "PlacementAssignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RoundId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RunId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OfferId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    HospitalId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    StudentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Rank = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(30)", maxLength: 30, nullable: false),
                    DeclineReason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true),
                    MentorId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    MentorName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    AssignedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlacementAssignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlacementAssignments_PlacementRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "PlacementRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PlacementAssignments_RoundId_OfferId",
                table: "PlacementAssignments",
                columns: new[] { "RoundId", "OfferId" });

            migrationBuilder.CreateIndex(
                name: "IX_PlacementAssignments_RoundId_StudentId",
                table: "PlacementAssignments",
                columns: new[] { "RoundId", "StudentId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PlacementAssignments");

            migrationBuilder.DropColumn(
                name: "StudentDeclineDeadline",
                table: "PlacementRounds");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "MatchRuns");
        }
    }
}
