using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CollabTraining.School.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OfferLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Closed",
                table: "CatalogPlacements",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Closed",
                table: "CatalogPlacements");
        }
    }
}
