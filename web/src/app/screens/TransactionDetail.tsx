export default function TransactionDetail() {
  return <h1>TransactionDetail</h1>;
}
