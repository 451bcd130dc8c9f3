using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CollabTraining.Hospitals.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OfferLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "PublishedAt",
                table: "PlacementOffers",
                type: "INTEGER",
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
