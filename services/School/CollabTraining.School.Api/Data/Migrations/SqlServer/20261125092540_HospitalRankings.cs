using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CollabTraining.School.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class HospitalRankings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HospitalRankings",
                columns: table => new
                {
                    RoundId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    OfferId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    StudentIds = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    SubmittedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HospitalRankings", x => new { x.RoundId, x.OfferId });
                    table.ForeignKey(
                        name: "FK_HospitalRankings_PlacementRounds_RoundId",
                        column: x => x.RoundId,
                        principalTable: "PlacementRounds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HospitalRankings");
        }
    }
}
