using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CollabTraining.School.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PlacementRounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PlacementRounds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OfferIds = table.Column<string>(type: "TEXT", nullable: false),
                    PreferencesCloseAt = table.Column<long>(type: "INTEGER", nullable: false),
                    MaxRanks = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlacementRounds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "StudentQualifications",
                columns: table => new
                {
                    StudentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StudentQualifications", x => new { x.StudentId, x.Code });
                    table.ForeignKey(
                        name: "FK_StudentQualifications_Students_StudentId",
                        column: x => x.StudentId,
                        principalTable: "Students",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MatchRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Seed = table.Column<long>(type: "INTEGER", nullable: false),
                    AlgorithmVersion = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    InputDigest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RanAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RanBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    Stable = table.Column<bool>(type: "INTEGER", nullable: false),
                    Matched = table.Column<int>(type: "INTEGER", nullable: false),
                    Unmatched = table.Column<int>(type: "INTEGER", nullable: false),
                    Result = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MatchRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MatchRuns_PlacementRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "PlacementRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RoundPreferences",
                columns: table => new
                {
                    RoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StudentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OfferIds = table.Column<string>(type: "TEXT", nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RoundPreferences", x => new { x.RoundId, x.StudentId });
                    table.ForeignKey(
                        name: "FK_RoundPreferences_PlacementRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "PlacementRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MatchRuns_RoundId_RanAt",
                table: "MatchRuns",
                columns: new[] { "RoundId", "RanAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MatchRuns");

            migrationBuilder.DropTable(
                name: "RoundPreferences");

            migrationBuilder.DropTable(
                name: "StudentQualifications");

            migrationBuilder.DropTable(
                name: "PlacementRounds");
        }
    }
}
