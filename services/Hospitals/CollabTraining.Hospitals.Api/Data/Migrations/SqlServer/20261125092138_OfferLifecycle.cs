using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CollabTraining.Hospitals.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OfferLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PublishedAt",
                table: "PlacementOffers",
                type: "datetimeoffset",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PublishedAt",
                table: "PlacementOffers");
        }
    }
}
