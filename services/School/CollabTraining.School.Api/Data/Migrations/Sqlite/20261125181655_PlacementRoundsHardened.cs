using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CollabTraining.School.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PlacementRoundsHardened : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Status",
                table: "PlacementRounds");

            migrationBuilder.AddColumn<string>(
                name: "CancellationReason",
                table: "PlacementRounds",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CancelledAt",
                table: "PlacementRounds",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "CreatedBy",
                table: "PlacementRounds",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<long>(
                name: "PreferencesOpenAt",
                table: "PlacementRounds",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "PublishedAt",
                table: "PlacementRounds",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "RunId",
                table: "PlacementAssignments",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AddColumn<Guid>(
                name: "DeclinedBy",
                table: "PlacementAssignments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "MentorVersion",
                table: "PlacementAssignments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_PlacementAssignments_OfferId_Status",
                table: "PlacementAssignments",
                columns: new[] { "OfferId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PlacementAssignments_StudentId_Status",
                table: "PlacementAssignments",
                columns: new[] { "StudentId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PlacementAssignments_OfferId_Status",
                table: "PlacementAssignments");

            migrationBuilder.DropIndex(
                name: "IX_PlacementAssignments_StudentId_Status",
                table: "PlacementAssignments");

            migrationBuilder.DropColumn(
                name: "CancellationReason",
                table: "PlacementRounds");

            migrationBuilder.DropColumn(
                name: "CancelledAt",
                table: "PlacementRounds");

            migrationBuilder.DropColumn(
                name: "CreatedBy",
                table: "PlacementRounds");

            migrationBuilder.DropColumn(
                name: "PreferencesOpenAt",
                table: "PlacementRounds");

            migrationBuilder.DropColumn(
                name: "PublishedAt",
                table: "PlacementRounds");

            migrationBuilder.DropColumn(
                name: "DeclinedBy",
                table: "PlacementAssignments");

            migrationBuilder.DropColumn(
                name: "MentorVersion",
                table: "PlacementAssignments");

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "PlacementRounds",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<Guid>(
                name: "RunId",
                table: "PlacementAssignments",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);
        }
    }
}
